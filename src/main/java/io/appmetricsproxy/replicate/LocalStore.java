package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Manifest;
import io.appmetricsproxy.store.Store;
import io.appmetricsproxy.store.StoreException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * This node's shared folder seen through the same contract as a peer's: reads come from the folder,
 * writes go through {@link Arrivals}, which checks each file before it can be served.
 */
final class LocalStore implements RemoteStore {
  private final Store store;
  private final Arrivals arrivals;

  LocalStore(Store store) {
    this.store = store;
    this.arrivals = new Arrivals(store);
  }

  @Override
  public String node() {
    return store
        .ownFolder()
        .orElseThrow(() -> new ReplicationException("this node has not completed a cycle yet"));
  }

  @Override
  public OptionalLong changes() {
    return OptionalLong.of(store.entryChanges());
  }

  @Override
  public List<String> nodes() {
    try {
      return store.sharedNodes();
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public Map<String, FileStat> list(String node) {
    Map<String, FileStat> files = new TreeMap<>();
    Path dir = folder(node);
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path f : stream) {
        String name = f.getFileName().toString();
        if (Layout.entry(name)) {
          stat(f).ifPresent(s -> files.put(name, s));
        }
      }
    } catch (IOException e) {
      throw failure("cannot list " + dir, e);
    }
    return files;
  }

  /** A {@code .alive} confirmed later in memory ({@link #confirmLater}) shows that confirmation. */
  @Override
  public Optional<FileStat> stat(String node, String file) {
    try {
      Optional<FileStat> onDisk = stat(folder(node).resolve(checkedFile(file)));
      Manifest.Folder held = store.confirmation(node).orElse(null);
      if (file.equals(Layout.ALIVE) && onDisk.isPresent() && held != null) {
        return Optional.of(
            new FileStat(
                onDisk.get().size(), Math.max(onDisk.get().mtimeSeconds(), held.confirmed())));
      }
      return onDisk;
    } catch (IOException e) {
      throw failure("cannot read " + node + "/" + file, e);
    }
  }

  private static Optional<FileStat> stat(Path f) throws IOException {
    try {
      return Optional.of(
          new FileStat(Files.size(f), Files.getLastModifiedTime(f).toInstant().getEpochSecond()));
    } catch (NoSuchFileException ignored) {
      return Optional.empty();
    }
  }

  @Override
  public byte[] read(String node, String file, long maxBytes) {
    Path f = folder(node).resolve(checkedFile(file));
    try {
      if (Files.size(f) > maxBytes) {
        throw new ReplicationException(node + "/" + file + " is larger than " + maxBytes + " B");
      }
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw failure("cannot read " + node + "/" + file, e);
    }
  }

  @Override
  public void write(String node, String file, byte[] bytes, long mtimeSeconds) {
    write(node, file, bytes, Optional.empty(), mtimeSeconds);
  }

  @Override
  public void write(
      String node, String file, byte[] bytes, Optional<byte[]> gzip, long mtimeSeconds) {
    try {
      arrivals.receive(
          checkedNode(node), checkedFile(file), bytes, gzip, Instant.ofEpochSecond(mtimeSeconds));
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public void touch(String node, String file, long mtimeSeconds) {
    try {
      arrivals.touch(checkedNode(node), checkedFile(file), Instant.ofEpochSecond(mtimeSeconds));
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public void delete(String node, String file) {
    try {
      arrivals.delete(checkedNode(node), checkedFile(file));
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public Optional<Manifest> manifest() {
    return Optional.of(store.manifest());
  }

  /** As the SFTP server does: each folder holding the named generation takes its confirmation. */
  @Override
  public void writeManifest(byte[] bytes) {
    try {
      arrivals.manifest(bytes, Instant.now());
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  /** In memory now, on disk at the next {@link #flush}: one touch per folder and round. */
  @Override
  public void confirmLater(String node, long mtimeSeconds) {
    try {
      arrivals.confirmLater(checkedNode(node), Instant.ofEpochSecond(mtimeSeconds));
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  /** Writes the confirmations taken since the last flush, and this node's manifest. */
  void flush(Instant now) {
    store.flush(now);
  }

  @Override
  public void close() {}

  private Path folder(String node) {
    return store.sharedRoot().resolve(checkedNode(node));
  }

  private static String checkedNode(String node) {
    try {
      return Layout.checkedNode(node);
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  private static String checkedFile(String file) {
    try {
      return Layout.checkedFile(file);
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  private static ReplicationException failure(String what, IOException e) {
    return new ReplicationException(what + ": " + e.getMessage(), e);
  }
}
