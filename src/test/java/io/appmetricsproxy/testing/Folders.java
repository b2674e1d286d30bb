package io.appmetricsproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary folders of tests that JUnit's @TempDir cannot reach (Arquillian deployments, mains).
 */
public final class Folders {
  private Folders() {}

  /** A new folder under the system's temp folder, deleted with all it holds when the JVM exits. */
  public static Path deletedAtExit(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and all it holds. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      delete(dir);
    } catch (IOException ignored) {
      // the JVM is exiting; a file still being written is left to the system's temp cleaning
    }
  }
}
