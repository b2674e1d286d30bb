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

/**
 * The store's files, named as {@link Layout} says: every write goes to a dot-named temp file in the
 * same folder, then is renamed into place.
 */
final class StoreFolder {
  private final Path shared;
  private final Path local;

  StoreFolder(Path dir) {
    this.shared = dir.resolve(Layout.SHARED);
    this.local = dir.resolve(Layout.LOCAL);
  }

  Path sharedRoot() {
    return shared;
  }

  void create() throws IOException {
    Files.createDirectories(shared);
    Files.createDirectories(local);
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
        if (Layout.valid(d.getFileName().toString())) {
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
        if (Layout.temp(name) && isOld(f)) {
          Files.deleteIfExists(f); // a temp file that a killed writer left behind
        } else if (Layout.entry(name)) {
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
    if (!Files.isDirectory(target.getParent())) { // one stat, where mkdir would fail and throw
      Files.createDirectories(target.getParent());
    }
    Path temp = Layout.storeTemp(target);
    boolean moved = false;
    try {
      Files.write(temp, bytes);
      Files.setLastModifiedTime(temp, FileTime.from(mtime));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException ignored) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
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
