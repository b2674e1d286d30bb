package io.appmetricsproxy.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium as a test browser: the DOM after the page's scripts ran, and
 * screenshots. Without it a test is skipped, unless CI=true, where it fails.
 */
public final class Chromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /**
   * {@code --no-sandbox} because the tests run as root, where Chromium refuses its sandbox; a fresh
   * profile per run so that runs never share state or a profile lock.
   */
  private static final List<String> FLAGS =
      List.of(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--no-first-run",
          "--no-default-browser-check",
          "--hide-scrollbars",
          "--run-all-compositor-stages-before-draw");

  private Chromium() {}

  public static boolean available() {
    return Files.isExecutable(CHROMIUM);
  }

  /** Skips the test without Chromium, or fails it when CI=true. */
  public static void require() {
    Prerequisite.require(available(), CHROMIUM + " is not installed (apt-get install chromium)");
  }

  public static String version() throws IOException {
    return run(List.of("--version")).strip();
  }

  /** The serialized DOM of {@code url} once it has loaded and its scripts have run. */
  public static String dumpDom(URI url) throws IOException {
    return run(List.of("--dump-dom", url.toString()));
  }

  /** A PNG of {@code url} in a window of that size. */
  public static void screenshot(URI url, Path png, int width, int height) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    run(
        List.of(
            "--screenshot=" + png.toAbsolutePath(),
            "--window-size=" + width + "," + height,
            url.toString()));
  }

  private static String run(List<String> args) throws IOException {
    require();
    Path profile = Files.createTempDirectory("amp-chromium");
    Path log = Files.createTempFile("amp-chromium", ".log");
    Path out = Files.createTempFile("amp-chromium", ".out");
    List<String> command = new ArrayList<>();
    command.add(CHROMIUM.toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .directory(profile.toFile())
            .start();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IOException("chromium did not finish within 60 s: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            "chromium exited "
                + process.exitValue()
                + ": "
                + command
                + "\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Files.deleteIfExists(log);
      Files.deleteIfExists(out);
      delete(profile);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // A crashed renderer may still hold a file; the temp folder is cleaned by the system.
    }
  }
}
