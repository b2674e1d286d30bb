package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.SharedNames;
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
import java.util.TreeMap;

/**
 * This node's shared folder seen through the same contract as a peer's: reads come from the folder,
 * writes go through the {@link Store}, which checks each file before it can be served.
 */
final class LocalStore implements RemoteStore {
  private final Store store;

  LocalStore(Store store) {
    this.store = store;
  }

  @Override
  public String node() {
    return store
        .ownFolder()
        .orElseThrow(() -> new ReplicationException("this node has not completed a cycle yet"));
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
        if (SharedNames.entry(name)) {
          stat(f).ifPresent(s -> files.put(name, s));
        }
      }
    } catch (IOException e) {
      throw failure("cannot list " + dir, e);
    }
    return files;
  }

  @Override
  public Optional<FileStat> stat(String node, String file) {
    try {
      return stat(folder(node).resolve(Names.checkedFile(file)));
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
    Path f = folder(node).resolve(Names.checkedFile(file));
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
    try {
      store.receive(
          Names.checkedNode(node),
          Names.checkedFile(file),
          bytes,
          Instant.ofEpochSecond(mtimeSeconds));
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public void touch(String node, String file, long mtimeSeconds) {
    try {
      store.touch(
          Names.checkedNode(node), Names.checkedFile(file), Instant.ofEpochSecond(mtimeSeconds));
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public void delete(String node, String file) {
    try {
      store.delete(Names.checkedNode(node), Names.checkedFile(file));
    } catch (StoreException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {}

  private Path folder(String node) {
    return store.sharedRoot().resolve(Names.checkedNode(node));
  }

  private static ReplicationException failure(String what, IOException e) {
    return new ReplicationException(what + ": " + e.getMessage(), e);
  }
}
