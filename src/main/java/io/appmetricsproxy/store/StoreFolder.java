package io.appmetricsproxy.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The store's files: {@code shared/<node>/<container>.entry} (what replication moves, the SFTP
 * root), {@code local/<node>/…} (entries that stay on this node), {@code shared/<node>/.alive} (its
 * mtime: when the node last confirmed its folder) and {@code shared/.node} (this node's name).
 * Every write goes to a dot-named temp file in the same folder, then is renamed into place.
 */
final class StoreFolder {
  static final String NODE_FILE = ".node";

  private final Path shared;
  private final Path local;

  StoreFolder(Path dir) {
    this.shared = dir.resolve("shared");
    this.local = dir.resolve("local");
  }

  Path sharedRoot() {
    return shared;
  }

  void create() throws IOException {
    Files.createDirectories(shared);
    Files.createDirectories(local);
  }

  /** A node name or container id as a file name: unsafe characters become "_". */
  static String safe(String s) {
    String cleaned = s.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.startsWith(".") || cleaned.isEmpty() ? "_" + cleaned : cleaned;
  }

  static String entryFile(String containerId) {
    return safe(containerId) + SharedNames.ENTRY_SUFFIX;
  }

  Path file(boolean sharedEntry, String nodeFolder, String fileName) {
    return (sharedEntry ? shared : local).resolve(nodeFolder).resolve(fileName);
  }

  /** The node folders under shared/ or local/. */
  List<String> nodes(boolean sharedEntries) throws IOException {
    List<String> nodes = new ArrayList<>();
    try (DirectoryStream<Path> dirs =
        Files.newDirectoryStream(sharedEntries ? shared : local, Files::isDirectory)) {
      for (Path d : dirs) {
        if (SharedNames.valid(d.getFileName().toString())) {
          nodes.add(d.getFileName().toString());
        }
      }
    }
    return nodes;
  }

  /** The entry files of one folder, absent folder included. */
  List<Path> entries(boolean sharedEntries, String node) throws IOException {
    Path dir = (sharedEntries ? shared : local).resolve(node);
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path f : stream) {
        String name = f.getFileName().toString();
        if (name.startsWith(".") && !name.equals(SharedNames.ALIVE) && isOld(f)) {
          Files.deleteIfExists(f); // a temp file that a killed writer left behind
        } else if (SharedNames.entry(name)) {
          files.add(f);
        }
      }
    }
    return files;
  }

  private static boolean isOld(Path f) throws IOException {
    try {
      return Files.getLastModifiedTime(f).toInstant().isBefore(Instant.now().minusSeconds(600));
    } catch (NoSuchFileException ignored) {
      return false;
    }
  }

  /** Writes {@code bytes} to a temp file, sets its mtime, and renames it over {@code target}. */
  static void write(Path target, byte[] bytes, Instant mtime) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp =
        target.resolveSibling(
            "." + target.getFileName() + ".tmp-" + Long.toString(randomSuffix(), 36));
    try {
      Files.write(temp, bytes);
      Files.setLastModifiedTime(temp, FileTime.from(mtime));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException ignored) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static long randomSuffix() {
    return ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
  }

  static Optional<Instant> mtime(Path f) throws IOException {
    try {
      return Optional.of(Files.getLastModifiedTime(f).toInstant());
    } catch (NoSuchFileException ignored) {
      return Optional.empty();
    }
  }

  /** Sets the mtime, creating an empty file first where there is none. */
  static void touch(Path f, Instant mtime) throws IOException {
    if (!Files.exists(f)) {
      write(f, new byte[0], mtime);
    } else {
      Files.setLastModifiedTime(f, FileTime.from(mtime));
    }
  }
}
