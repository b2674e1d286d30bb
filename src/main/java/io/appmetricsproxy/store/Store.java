package io.appmetricsproxy.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The latest good scrape of every container, in memory for serving and on disk (see {@link
 * StoreFolder}): this node's entries, written by its cycles, and other nodes' shared entries,
 * written by replication. An entry file is rewritten only when its content changed, with an mtime
 * later than the one it replaces, so that size and mtime tell a changed file from an unchanged one.
 */
public final class Store {
  private static final Logger logger = Logger.getLogger(Store.class.getName());

  /**
   * How far a folder's confirmation may run ahead of its {@code .alive}'s mtime before {@link
   * #flush} touches the file: every take of a peer's manifest confirms most folders (three takes
   * per interval at 200 nodes, a touch of 199 files each), while the manifest that every flush
   * writes holds each confirmation exactly, and {@link #open} takes them from it.
   */
  public static final Duration ALIVE_LAG = Duration.ofMinutes(1);

  private final StoreFolder folder;
  private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Instant> alive = new ConcurrentHashMap<>();

  /** Every node folder's {@code .alive} (this node's included), as the manifest tells it. */
  private final Folders folders = new Folders();

  /** Grows with every change of the shared folder's entry files ({@link #entryChanges}). */
  private final AtomicLong entryChanges = new AtomicLong();

  /**
   * Folders confirmed later in memory whose {@code .alive} is touched by the next {@link #flush}.
   */
  private final Set<String> unflushed = ConcurrentHashMap.newKeySet();

  /** Each folder's confirmation as its {@code .alive}'s mtime on disk holds it, in seconds. */
  private final Map<String, Long> onDisk = new ConcurrentHashMap<>();

  private Map<String, Manifest.Folder> manifestWritten = Map.of();
  private final Set<Path> unwritten = ConcurrentHashMap.newKeySet();
  private volatile String own;
  private volatile boolean changedSinceConfirm = true;

  public Store(Path dir) {
    this.folder = new StoreFolder(dir);
  }

  /** Creates the folders and reads what a previous run left there; bad files are skipped. */
  public void open() {
    try {
      folder.create();
      for (boolean shared : new boolean[] {true, false}) {
        for (String node : folder.nodes(shared)) {
          for (Path f : folder.entries(shared, node)) {
            read(f, shared).ifPresent(e -> entries.put(f, e));
          }
          if (shared) {
            Path file = folder.file(true, node, Layout.ALIVE);
            StoreFolder.mtime(file).ifPresent(at -> alive.put(node, at));
            readFolder(node, file, null);
          }
        }
      }
      // what a previous run left there is written anew from the folders found, with the later
      // confirmations it holds of the generations found (ALIVE_LAG)
      Path left = folder.sharedRoot().resolve(Layout.MANIFEST);
      laterConfirmations(left);
      Files.deleteIfExists(left);
      manifestWritten = Map.of();
      flush(Instant.now());
    } catch (IOException e) {
      throw failure("store folder " + folder.sharedRoot(), e);
    }
  }

  /**
   * Takes from the manifest a previous run left each confirmation later than its folder's {@code
   * .alive} where it names the generation found there; a manifest that cannot be read is ignored.
   */
  private void laterConfirmations(Path manifest) throws IOException {
    Optional<Manifest> left;
    try {
      left = Manifest.parse(Files.readAllBytes(manifest));
    } catch (NoSuchFileException ignored) {
      return;
    }
    left.ifPresent(
        m ->
            m.folders()
                .forEach(
                    (node, f) -> {
                      Manifest.Folder found = folders.get(node);
                      if (f.sameGeneration(found) && f.confirmed() > found.confirmed()) {
                        folders.put(node, new Manifest.Folder(f.confirmed(), found.generation()));
                        alive.merge(node, Instant.ofEpochSecond(f.confirmed()), Store::later);
                      }
                    }));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Optional<Entry> read(Path f, boolean shared) {
    try {
      return Optional.of(EntryFile.decode(Files.readAllBytes(f), shared));
    } catch (NoSuchFileException ignored) {
      return Optional.empty();
    } catch (IOException e) {
      logger.log(Level.WARNING, "Skipping store file {0}: {1}", new Object[] {f, e.getMessage()});
      return Optional.empty();
    }
  }

  /**
   * Records {@code node}'s {@code .alive} as it is on disk ({@code bytes}: its content if known).
   */
  private void readFolder(String node, Path file, byte[] bytes) throws IOException {
    Optional<Instant> mtime = StoreFolder.mtime(file);
    if (mtime.isEmpty()) {
      folders.remove(node);
      onDisk.remove(node);
      return;
    }
    byte[] content = bytes;
    if (content == null) {
      try {
        content = Files.readAllBytes(file);
      } catch (NoSuchFileException gone) {
        folders.remove(node);
        onDisk.remove(node);
        return;
      }
    }
    onDisk.put(node, mtime.get().getEpochSecond());
    folders.put(
        node,
        new Manifest.Folder(mtime.get().getEpochSecond(), Manifest.Folder.generationOf(content)));
  }

  /** One node folder's generation and confirmation, as the manifest tells it. */
  public Optional<Manifest.Folder> confirmation(String node) {
    return Optional.ofNullable(folders.get(node));
  }

  /** Every node folder this store holds with its generation and confirmation, as of now. */
  public Manifest manifest() {
    return folders.manifest();
  }

  /**
   * Takes a later confirmation of another node's folder whose generation this store holds: served
   * from now on, written to its {@code .alive} by the next {@link #flush}, so that confirmations
   * from many peers cost one touch per folder.
   */
  public void confirmLater(String node, Instant mtime) {
    Manifest.Folder f = folders.get(node);
    if (node.equals(own) || f == null || f.confirmed() >= mtime.getEpochSecond()) {
      return;
    }
    folders.put(node, new Manifest.Folder(mtime.getEpochSecond(), f.generation()));
    alive.merge(node, mtime, Store::later);
    unflushed.add(node);
  }

  /**
   * Writes what is only in memory: the later confirmations ({@link #confirmLater}) to the {@code
   * .alive} of each folder whose file they passed by {@link #ALIVE_LAG}, then the manifest ({@link
   * Layout#MANIFEST}), which holds every one, when it changed, as of {@code now}.
   */
  public synchronized void flush(Instant now) {
    for (String node : List.copyOf(unflushed)) {
      unflushed.remove(node);
      Manifest.Folder f = folders.get(node);
      Long written = onDisk.get(node);
      if (f == null || written != null && f.confirmed() - written < ALIVE_LAG.toSeconds()) {
        continue;
      }
      Path file = folder.file(true, node, Layout.ALIVE);
      try {
        Files.setLastModifiedTime(
            file, java.nio.file.attribute.FileTime.from(Instant.ofEpochSecond(f.confirmed())));
        onDisk.put(node, f.confirmed());
      } catch (NoSuchFileException gone) {
        // removed meanwhile: nothing to confirm
      } catch (IOException e) {
        logger.log(Level.WARNING, "Cannot confirm {0}: {1}", new Object[] {file, e.getMessage()});
      }
    }
    Map<String, Manifest.Folder> current = folders.manifest().folders();
    if (current.equals(manifestWritten)) {
      return;
    }
    Path file = folder.sharedRoot().resolve(Layout.MANIFEST);
    try {
      StoreFolder.write(file, new Manifest(current, Manifest.Takes.GZIPPED_FOLDERS).format(), now);
      manifestWritten = current;
    } catch (IOException e) {
      logger.log(Level.WARNING, "Cannot write {0}: {1}", new Object[] {file, e.getMessage()});
    }
  }

  /** The folder that replication exchanges: {@code <node>/<container>.entry}, {@code .node}. */
  public Path sharedRoot() {
    return folder.sharedRoot();
  }

  /** The node folders of the shared folder, this node's included. */
  public List<String> sharedNodes() {
    try {
      return folder.nodes(true);
    } catch (IOException e) {
      throw failure("cannot list " + folder.sharedRoot(), e);
    }
  }

  /** The folder name of this node, once a cycle has named it. */
  public Optional<String> ownFolder() {
    return Optional.ofNullable(own);
  }

  /**
   * Keeps a new scrape. Its file is rewritten only when the content changed (a reader sees the old
   * file or the new one); an unchanged scrape only refreshes the entry in memory.
   */
  public void put(Entry entry) {
    String node = Layout.safe(entry.node());
    own = node; // only this node's cycles put entries
    String name = Layout.entryFile(entry.containerId());
    Path target = folder.file(entry.shared(), node, name);
    Entry previous = entries.get(target);
    try {
      if (Files.deleteIfExists(folder.file(!entry.shared(), node, name))) {
        entryChanges.incrementAndGet();
      }
      entries.remove(folder.file(!entry.shared(), node, name));
      Optional<Instant> mtime = StoreFolder.mtime(target);
      boolean unwritten = this.unwritten.contains(target);
      if (previous == null || !previous.sameContent(entry) || mtime.isEmpty() || unwritten) {
        StoreFolder.write(target, EntryFile.encode(entry), writtenAt(entry, node, mtime));
        entryChanges.incrementAndGet();
        this.unwritten.remove(target);
        changedSinceConfirm = true;
      }
    } catch (IOException e) {
      // a full or read-only disk does not stop serving: the scrape is kept in memory, and written
      // by the next put that finds room
      this.unwritten.add(target);
      entries.put(target, entry);
      throw new StoreException("cannot write " + target + ": " + e.getMessage(), e);
    }
    entries.put(target, entry);
  }

  /**
   * The mtime of a new version of an entry file: its scrape time, unless that is not in a later
   * second than the file's last version (a change must show in size or mtime) or than the
   * generation its folder was last confirmed as. That generation may be a second ahead of the clock
   * (a folder changed twice within a second is confirmed in the next), and a peer that holds it
   * takes every file of the folder whose mtime is not in a later second as one it holds ({@link
   * Manifest.Folder#generationSecond}).
   */
  private Instant writtenAt(Entry entry, String node, Optional<Instant> mtime) {
    Instant at = entry.scrapedAt();
    if (mtime.isPresent()) {
      at = notBefore(at, seconds(mtime.get()).plusSeconds(1));
    }
    Manifest.Folder confirmed = entry.shared() ? folders.get(node) : null;
    if (confirmed != null && confirmed.generationSecond() != Long.MIN_VALUE) {
      at = notBefore(at, Instant.ofEpochSecond(confirmed.generationSecond() + 1));
    }
    return at;
  }

  private static Instant notBefore(Instant at, Instant earliest) {
    return at.isBefore(earliest) ? earliest : at;
  }

  private static Instant seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Drops the entries of {@code node} whose container is not in {@code containerIds}. */
  public void retain(String node, Set<String> containerIds) {
    for (Map.Entry<Path, Entry> e : List.copyOf(entries.entrySet())) {
      Entry entry = e.getValue();
      if (entry.node().equals(node) && !containerIds.contains(entry.containerId())) {
        remove(e.getKey(), entry.containerName());
      }
    }
  }

  /** Drops this node's entry of {@code containerId}, if any; true if there was one. */
  public boolean forget(String containerId) {
    boolean removed = false;
    for (Map.Entry<Path, Entry> e : List.copyOf(entries.entrySet())) {
      Entry entry = e.getValue();
      if (entry.containerId().equals(containerId)
          && (!entry.shared() || Layout.safe(entry.node()).equals(own))) {
        remove(e.getKey(), entry.containerName());
        removed = true;
      }
    }
    return removed;
  }

  private void remove(Path file, String what) {
    entries.remove(file);
    unwritten.remove(file);
    // Another node's file (a deletion taken from a peer, a forgotten folder) is no change of this
    // node's folder: confirming it as one would give this folder a new generation for nothing,
    // and every node that took the deletion would then send its own folder to every peer again.
    if (own != null && file.getParent().equals(folder.sharedRoot().resolve(own))) {
      changedSinceConfirm = true;
    }
    try {
      Files.deleteIfExists(file);
      entryChanges.incrementAndGet();
    } catch (IOException ex) {
      logger.log(
          Level.WARNING,
          "Cannot delete the entry of {0}: {1}",
          new Object[] {what, ex.getMessage()});
    }
  }

  /**
   * Ends a cycle of this node: names its folder (and itself in {@code .node}), removes from disk
   * what is too old to serve, and forgets the folders of nodes that have not confirmed theirs
   * within {@code maxAge}.
   *
   * @return whether this node's shared folder changed since it was last confirmed ({@link
   *     #confirmed})
   */
  public boolean endCycle(String node, Instant now, Duration maxAge) {
    own = Layout.safe(node);
    Instant oldest = now.minus(maxAge);
    try {
      Path nodeFile = folder.sharedRoot().resolve(Layout.NODE_FILE);
      byte[] name = (own + "\n").getBytes(StandardCharsets.UTF_8);
      if (!Files.exists(nodeFile) || !Arrays.equals(Files.readAllBytes(nodeFile), name)) {
        StoreFolder.write(nodeFile, name, now);
      }
      for (Map.Entry<Path, Entry> e : List.copyOf(entries.entrySet())) {
        Entry entry = e.getValue();
        boolean mine = Layout.safe(entry.node()).equals(own);
        if (mine && entry.scrapedAt().isBefore(oldest) && Files.deleteIfExists(e.getKey())) {
          entryChanges.incrementAndGet();
          changedSinceConfirm = true; // still in memory, no longer offered to peers
        }
      }
      alive.remove(own);
      for (Map.Entry<String, Instant> a : List.copyOf(alive.entrySet())) {
        if (a.getValue().isBefore(oldest)) {
          forgetNode(a.getKey());
        }
      }
    } catch (IOException e) {
      throw failure("store folder " + folder.sharedRoot(), e);
    }
    return changedSinceConfirm;
  }

  /** This node's folder was confirmed to peers as it is now. */
  public void confirmed() {
    changedSinceConfirm = false;
  }

  private void forgetNode(String node) throws IOException {
    logger.log(Level.INFO, "Dropping the entries of node {0}: not confirmed in time", node);
    for (Path f : folder.entries(true, node)) {
      remove(f, f.toString());
    }
    Path dir = folder.sharedRoot().resolve(node);
    entries.keySet().removeIf(p -> p.getParent().equals(dir));
    Files.deleteIfExists(folder.file(true, node, Layout.ALIVE));
    alive.remove(node);
    folders.remove(node);
    onDisk.remove(node);
  }

  /**
   * Writes a file of a node folder: an entry file of another node that replication checked, whose
   * decoded {@code entry} is served from now on, or a {@code .alive}, which records when that node
   * last confirmed its folder.
   */
  public void keep(String node, String file, byte[] bytes, Optional<Entry> entry, Instant mtime) {
    Path target = folder.file(true, node, file);
    try {
      StoreFolder.write(target, bytes, mtime);
      entryChanges.incrementAndGet();
    } catch (IOException e) {
      throw failure(node + "/" + file, e);
    }
    record(node, file, target, entry, Optional.of(mtime), bytes);
  }

  /** The mtime of a file of a node folder; empty when it is absent. */
  public Optional<Instant> mtime(String node, String file) {
    try {
      return StoreFolder.mtime(folder.file(true, node, file));
    } catch (IOException e) {
      throw failure(node + "/" + file, e);
    }
  }

  /** Reads a file of a node folder as it is on disk now; empty when it is absent. */
  public Optional<Stored> read(String node, String file) {
    Path target = folder.file(true, node, file);
    try {
      Optional<Instant> mtime = StoreFolder.mtime(target);
      return mtime.isEmpty()
          ? Optional.empty()
          : Optional.of(new Stored(Files.readAllBytes(target), mtime.get()));
    } catch (NoSuchFileException ignored) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure(node + "/" + file, e);
    }
  }

  private static StoreException failure(String what, IOException e) {
    return new StoreException(what + ": " + e.getMessage(), e);
  }

  /** A file of a node folder as read back: its bytes and mtime. */
  public record Stored(byte[] bytes, Instant mtime) {}

  /**
   * Records a file of another node's shared folder that is on disk already (the SFTP server wrote
   * it) and that replication checked; an absent {@code mtime} means the file is gone.
   */
  public void placed(String node, String file, Optional<Entry> entry, Optional<Instant> mtime) {
    entryChanges.incrementAndGet();
    record(node, file, folder.file(true, node, file), entry, mtime, null);
  }

  /**
   * A count that grows whenever an entry file of the shared folder is written, replaced or removed
   * here, or placed by the SFTP server: what was read of the folder holds while it does not grow
   * (counted once the change is on disk: a read that began before a count and ended after it may
   * have missed the change, one that began after saw it).
   */
  public long entryChanges() {
    return entryChanges.get();
  }

  private void record(
      String node,
      String file,
      Path target,
      Optional<Entry> entry,
      Optional<Instant> mtime,
      byte[] bytes) {
    if (file.equals(Layout.ALIVE)) {
      try {
        readFolder(node, target, bytes);
      } catch (IOException e) {
        throw failure(node + "/" + file, e);
      }
      // other nodes' confirmations; this node's own entries age from their scrapes
      mtime
          .filter(at -> !node.equals(own))
          .ifPresentOrElse(at -> alive.put(node, at), () -> alive.remove(node));
    } else if (mtime.isEmpty() || entry.isEmpty()) {
      entries.remove(target);
    } else {
      entries.put(target, entry.get());
    }
  }

  /** Sets the mtime of a file of a node folder, e.g. a newer {@code .alive}. */
  public void touch(String node, String file, Instant mtime) {
    try {
      Path target = folder.file(true, node, file);
      Manifest.Folder held = file.equals(Layout.ALIVE) ? folders.get(node) : null;
      if (held != null && held.confirmed() > mtime.getEpochSecond()) {
        // a peer that read the file's mtime, which may lag (ALIVE_LAG): the content stays, and so
        // does the later confirmation
        mtime = Instant.ofEpochSecond(held.confirmed());
      }
      StoreFolder.touch(target, mtime);
      if (file.equals(Layout.ALIVE)) {
        unflushed.remove(node);
        readFolder(node, target, null);
      } else {
        entryChanges.incrementAndGet();
      }
    } catch (IOException e) {
      throw failure(node + "/" + file, e);
    }
  }

  /** Removes a file of another node's shared folder. */
  public void delete(String node, String file) {
    remove(folder.file(true, node, file), node + "/" + file);
    if (file.equals(Layout.ALIVE)) {
      alive.remove(node);
      folders.remove(node);
      onDisk.remove(node);
    }
  }

  public List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /**
   * What may be served now: this node's entries scraped within {@code maxAge}, and other nodes'
   * entries where their node confirmed its folder within {@code maxAge} (aged from that
   * confirmation).
   */
  public Servable servable(Instant now, Duration maxAge) {
    Instant oldest = now.minus(maxAge);
    List<Entry> served = new ArrayList<>();
    Map<String, Instant> expired = new HashMap<>();
    for (Entry e : entries.values()) {
      String node = Layout.safe(e.node());
      Instant at = node.equals(own) || !e.shared() ? e.scrapedAt() : alive.get(node);
      if (at != null && at.isAfter(oldest)) {
        served.add(at.equals(e.scrapedAt()) ? e : e.withScrapedAt(at));
      } else if (at != null) {
        expired.merge(e.name(), at, (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    return new Servable(served, expired, maxAge);
  }

  /** When each other node last confirmed its shared folder, as far as this node knows. */
  public Map<String, Instant> confirmations() {
    return Map.copyOf(alive);
  }

  Path file(String node, String containerId) {
    return folder.file(true, Layout.safe(node), Layout.entryFile(containerId));
  }

  StoreFolder folder() {
    return folder;
  }

  /**
   * The folders, and their manifest made once per change of them rather than once per exchange (a
   * manager reads it twice per peer and round: 400 times a round at 200 nodes).
   */
  private static final class Folders {
    // in the order of the node names, which a manifest keeps: made from it in N steps
    private final Map<String, Manifest.Folder> map = new ConcurrentSkipListMap<>();
    private final AtomicLong changes = new AtomicLong();
    private volatile Made made = new Made(-1, null);

    /** A manifest and the count of changes it holds. */
    private static final class Made {
      final long changes;
      final Manifest manifest;

      Made(long changes, Manifest manifest) {
        this.changes = changes;
        this.manifest = manifest;
      }
    }

    Manifest.Folder get(String node) {
      return map.get(node);
    }

    void put(String node, Manifest.Folder folder) {
      map.put(node, folder);
      changes.incrementAndGet();
    }

    void remove(String node) {
      if (map.remove(node) != null) {
        changes.incrementAndGet();
      }
    }

    /** As of now; counted before it is read, so that a change made meanwhile makes it anew. */
    Manifest manifest() {
      Made m = made;
      long now = changes.get();
      if (m.changes != now) {
        m =
            new Made(
                now,
                new Manifest(
                    FolderMap.of(map), Manifest.Takes.GZIPPED_FOLDERS)); // Arrivals takes them
        made = m;
      }
      return m.manifest;
    }
  }
}
