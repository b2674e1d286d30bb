package io.appmetricsproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Small host helpers for the private engine: commands, root check, processes, mounts, folder
 * removal.
 */
final class Sys {
  /** Where dockerd, ip and umount live even when the test JVM's PATH lacks the sbin folders. */
  static final String EXTRA_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The outcome of a finished command. */
  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  private Sys() {}

  /** Absolute path of an executable on PATH or in the usual system folders, or null. */
  static String which(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":" + EXTRA_PATH;
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /**
   * Runs a command (first word looked up with {@link #which}), waits at most 30 s, returns code and
   * output.
   */
  static Result run(String... command) throws IOException {
    String exe = which(command[0]);
    if (exe == null) {
      throw new IOException(command[0] + " not found on PATH nor in " + EXTRA_PATH);
    }
    List<String> cmd = new ArrayList<>(List.of(command));
    cmd.set(0, exe);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  /** Runs a command and throws with its output unless it exits 0. */
  static void check(String... command) throws IOException {
    Result r = run(command);
    if (!r.ok()) {
      throw new IOException(String.join(" ", command) + " exited " + r.code() + ": " + r.output());
    }
  }

  /** True when this JVM runs as root (uid 0), read from /proc/self/status. */
  static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[1].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Live processes whose command line contains {@code text} (read from /proc/PID/cmdline). */
  static List<ProcessHandle> processesMentioning(String text) {
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String cmdline =
              new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.replace('\0', ' ').contains(text)) {
            ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(found::add);
          }
        } catch (IOException | NumberFormatException gone) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to report
    }
    return found;
  }

  /** Lazily unmounts every mount point at or below {@code dir}, deepest first. */
  static void unmountUnder(Path dir) throws IOException {
    String prefix = dir.toString();
    List<String> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String point = line.split(" ")[4].replace("\\040", " ");
      if (point.equals(prefix) || point.startsWith(prefix + "/")) {
        points.add(point);
      }
    }
    points.sort(Comparator.comparingInt(String::length).reversed());
    for (String point : points) {
      run("umount", "-l", point);
    }
  }

  /** Deletes a folder tree without following symbolic links; missing is fine. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Waits until every handle has ended or the time is up; true when all have ended. */
  static boolean awaitExit(List<ProcessHandle> processes, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
