package io.appmetricsproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real small file system (tmpfs of a few KB) mounted on a test folder, to fill it up or make it
 * read-only; needs root (as the test setup runs), else the test is skipped.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code kilobytes} KB on {@code dir} (created if missing). */
  public static SmallDisk mount(Path dir, int kilobytes) throws IOException {
    Files.createDirectories(dir);
    String result =
        run("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "amp-test", dir.toString());
    Prerequisite.require(result.isEmpty(), "cannot mount a tmpfs (needs root): " + result);
    return new SmallDisk(dir);
  }

  /** Makes the file system read-only, for root too. */
  public void readOnly() throws IOException {
    String result = run("mount", "-o", "remount,ro", mountPoint.toString());
    if (!result.isEmpty()) {
      throw new IOException("cannot remount " + mountPoint + " read-only: " + result);
    }
  }

  /** Makes it writable again. */
  public void writable() throws IOException {
    String result = run("mount", "-o", "remount,rw", mountPoint.toString());
    if (!result.isEmpty()) {
      throw new IOException("cannot remount " + mountPoint + " writable: " + result);
    }
  }

  /** Fills the free space with a file {@code name}, so that no further block can be written. */
  public void fill(String name) throws IOException {
    Path filler = mountPoint.resolve(name);
    byte[] block = new byte[1024];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // no space left: what was asked
    }
  }

  @Override
  public void close() throws IOException {
    String result = run("umount", "-l", mountPoint.toString());
    if (!result.isEmpty()) {
      throw new IOException("cannot unmount " + mountPoint + ": " + result);
    }
  }

  /** Runs a command; "" when it exits 0, else its output and exit code. */
  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    return p.exitValue() == 0 ? "" : out + " (exit " + p.exitValue() + ")";
  }
}
