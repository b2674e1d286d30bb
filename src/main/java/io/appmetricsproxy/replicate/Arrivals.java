package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.EntryFile;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Manifest;
import io.appmetricsproxy.store.Store;
import io.appmetricsproxy.store.StoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way in for a file of another node's shared folder, whichever side wrote it: an exchange
 * this node drives ({@link #receive}), or a peer through the SFTP server ({@link #arrived}). Each
 * file passes one check before it is served: a store name, not in this node's own folder, and an
 * entry file must decode and name the node and container its path names.
 */
public final class Arrivals {
  private static final Logger logger = Logger.getLogger(Arrivals.class.getName());

  private final Store store;

  public Arrivals(Store store) {
    this.store = store;
  }

  /**
   * Takes a file pulled from a peer: checked, then written in place.
   *
   * @throws StoreException when the file is refused; nothing was written then
   */
  public void receive(String node, String file, byte[] bytes, Instant mtime) {
    receive(node, file, bytes, Optional.empty(), mtime);
  }

  /**
   * As {@link #receive(String, String, byte[], Instant)}, with the exposition's gzip as the peer
   * sent it and it was checked when inflated into {@code bytes}: kept as the payload's own rather
   * than made again.
   *
   * @throws StoreException when the file is refused; nothing was written then
   */
  public void receive(
      String node, String file, byte[] bytes, Optional<byte[]> gzip, Instant mtime) {
    named(node, file);
    store.keep(node, file, bytes, checked(node, file, bytes, gzip), mtime);
  }

  /**
   * Takes a file that the SFTP server wrote: read back and checked; a file that fails the check is
   * deleted, so that it is never served.
   */
  public void arrived(String node, String file) {
    named(node, file);
    reread(node, file);
  }

  /** Reads back a file of a named folder, checked; one that fails the check is deleted. */
  private void reread(String node, String file) {
    try {
      Optional<Store.Stored> stored = store.read(node, file);
      Optional<Entry> entry =
          stored.isEmpty()
              ? Optional.empty()
              : checked(node, file, stored.get().bytes(), Optional.empty());
      store.placed(node, file, entry, stored.map(Store.Stored::mtime));
    } catch (StoreException e) {
      refuse(node, file, e.getMessage());
    }
  }

  private void refuse(String node, String file, String why) {
    logger.log(Level.WARNING, "Refusing {0}", why);
    store.delete(node, file);
  }

  /** Sets the mtime of a file of another node's folder, e.g. a newer {@code .alive}. */
  public void touch(String node, String file, Instant mtime) {
    named(node, file);
    store.touch(node, file, mtime);
    reread(node, file);
  }

  /**
   * Takes a later confirmation of another node's folder whose generation this node holds; written
   * to its {@code .alive} at the next {@link Store#flush}.
   */
  public void confirmLater(String node, Instant mtime) {
    named(node, Layout.ALIVE);
    store.confirmLater(node, mtime);
  }

  /**
   * Takes a manifest a peer wrote here at the end of its exchange, first the folders it copied with
   * it ({@link Bundle}; each made equal to the peer's, {@code .alive} last); then each folder that
   * holds the generation it names takes its later confirmation; any other line is a folder whose
   * copy did not complete, and is left as it is. Then this node's own manifest is written from its
   * store.
   *
   * @return whether it carried folders, which are to be served at once; confirmations alone only
   *     make what is served look fresher
   * @throws StoreException when {@code bytes} are not a manifest, or its folders are torn: nothing
   *     was taken then; or naming the files of its folders that were refused, once all the rest was
   *     taken
   */
  public boolean manifest(byte[] bytes, Instant now) {
    Bundle.Upload upload;
    try {
      upload = Bundle.split(bytes);
    } catch (ReplicationException e) {
      throw new StoreException(e.getMessage(), e);
    }
    Manifest offered =
        Manifest.parse(upload.manifest())
            .orElseThrow(() -> new StoreException("not a manifest: " + Layout.MANIFEST, null));
    List<String> refused =
        Exchange.take(upload.folders(), new LocalStore(store), store.manifest().folders());

    Map<String, Manifest.Folder> held = store.manifest().folders();
    Optional<String> own = store.ownFolder();
    for (Map.Entry<String, Manifest.Folder> f : offered.folders().entrySet()) {
      Manifest.Folder mine = held.get(f.getKey());
      if (f.getValue().sameGeneration(mine)
          && f.getValue().confirmed() > mine.confirmed()
          && !own.filter(f.getKey()::equals).isPresent()) {
        store.confirmLater(f.getKey(), Instant.ofEpochSecond(f.getValue().confirmed()));
      }
    }
    store.flush(now);
    if (!refused.isEmpty()) { // the client reports them as it does a file refused on its own
      throw new StoreException(String.join("; ", refused), null);
    }
    return !upload.folders().folders().isEmpty();
  }

  /** When {@code node} last confirmed its folder, as this node's store holds it. */
  public Optional<Instant> confirmed(String node) {
    return store.confirmation(node).map(f -> Instant.ofEpochSecond(f.confirmed()));
  }

  /** Removes a file of another node's folder. */
  public void delete(String node, String file) {
    named(node, file);
    store.delete(node, file);
  }

  /**
   * The check of a file's content, once {@link #named} passed: the decoded entry of an entry file,
   * empty for {@code .alive}.
   */
  private Optional<Entry> checked(String node, String file, byte[] bytes, Optional<byte[]> gzip) {
    if (file.equals(Layout.ALIVE)) {
      return Optional.empty();
    }
    Entry e;
    try {
      e = EntryFile.decode(bytes, true, gzip);
    } catch (IOException ex) {
      throw new StoreException(node + "/" + file + ": " + ex.getMessage(), ex);
    }
    if (!Layout.safe(e.node()).equals(node) || !Layout.entryFile(e.containerId()).equals(file)) {
      throw new StoreException(
          node
              + "/"
              + file
              + ": its header names node \""
              + e.node()
              + "\" and container "
              + e.containerId(),
          null);
    }
    return Optional.of(e);
  }

  private void named(String node, String file) {
    if (!Layout.valid(node) || !Layout.file(file)) {
      throw new StoreException("not a store file: " + node + "/" + file, null);
    }
    if (store.ownFolder().filter(node::equals).isPresent()) {
      throw new StoreException(
          node + "/" + file + ": the folder of this node is written by this node only", null);
    }
  }
}
