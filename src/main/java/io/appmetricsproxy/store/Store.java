package io.appmetricsproxy.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The latest good scrape of every container, in memory for serving and on disk under {@code
 * <dir>/<node>/<container id>.entry}; each file is written to a temp name and renamed into place.
 */
public final class Store {
  private static final Logger logger = Logger.getLogger(Store.class.getName());

  private final Path dir;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public Store(Path dir) {
    this.dir = dir;
  }

  /** Creates the folder and reads the entries a previous run left there; bad files are skipped. */
  public void open() {
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> nodes = Files.newDirectoryStream(dir, Files::isDirectory)) {
        for (Path node : nodes) {
          load(node);
        }
      }
    } catch (IOException e) {
      throw new StoreException("store folder " + dir + ": " + e.getMessage(), e);
    }
  }

  private void load(Path nodeDir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(nodeDir, "*" + EntryFile.SUFFIX)) {
      for (Path file : files) {
        try {
          Entry e = EntryFile.decode(Files.readAllBytes(file));
          entries.put(e.key(), e);
        } catch (IOException e) {
          logger.log(
              Level.WARNING, "Skipping store file {0}: {1}", new Object[] {file, e.getMessage()});
        }
      }
    }
  }

  /** Replaces the container's entry, on disk first: a reader sees the old file or the new one. */
  public void put(Entry entry) {
    Path target = file(entry.node(), entry.containerId());
    try {
      Files.createDirectories(target.getParent());
      Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.write(temp, EntryFile.encode(entry));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException ignored) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new StoreException("cannot write " + target + ": " + e.getMessage(), e);
    }
    entries.put(entry.key(), entry);
  }

  /** Drops the entries of {@code node} whose container is not in {@code containerIds}. */
  public void retain(String node, Set<String> containerIds) {
    for (Entry e : List.copyOf(entries.values())) {
      if (e.node().equals(node) && !containerIds.contains(e.containerId())) {
        entries.remove(e.key());
        try {
          Files.deleteIfExists(file(e.node(), e.containerId()));
        } catch (IOException ex) {
          logger.log(
              Level.WARNING,
              "Cannot delete the entry of {0}: {1}",
              new Object[] {e.containerName(), ex.getMessage()});
        }
      }
    }
  }

  public List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /** What is served now: every entry younger than {@code maxAge}, grouped by name. */
  public Snapshot snapshot(Instant now, Duration maxAge) {
    Instant oldest = now.minus(maxAge);
    return Snapshot.of(
        entries.values().stream().filter(e -> e.scrapedAt().isAfter(oldest)).toList());
  }

  Path file(String node, String containerId) {
    return dir.resolve(safe(node)).resolve(safe(containerId) + EntryFile.SUFFIX);
  }

  private static String safe(String s) {
    String cleaned = s.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.startsWith(".") ? "_" + cleaned : cleaned;
  }
}
