package io.appmetricsproxy.testing;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** A dockerd of the test JVM's own: private socket, folders and bridge, stopped by its pid. */
final class PrivateDockerd {
  static final String BRIDGE = "amp-test0";
  static final String BRIDGE_ADDRESS = "172.31.77.1/24";
  private static final Path TMP = Path.of("/tmp");
  private static final String PREFIX = "amp-engine-";
  private static final String BRIDGE_MARK = "bridge.created";

  private final Path runDir;
  private final Process process;
  private final boolean createdBridge;
  private boolean stopped;

  private PrivateDockerd(Path runDir, Process process, boolean createdBridge) {
    this.runDir = runDir;
    this.process = process;
    this.createdBridge = createdBridge;
  }

  /**
   * Starts dockerd on bridge amp-test0 (created if missing) in a fresh /tmp/amp-engine-* folder.
   */
  static PrivateDockerd start() throws IOException {
    String dockerd = Sys.which("dockerd");
    if (dockerd == null) {
      throw new IOException("dockerd not found (install docker.io, or set DOCKER_HOST)");
    }
    if (!Sys.isRoot()) {
      throw new IOException("a private dockerd needs root (or set DOCKER_HOST to an engine)");
    }
    boolean inherited = sweepOrphans(); // a dead run's bridge becomes ours to delete
    boolean created = ensureBridge() || inherited;
    Path run = Files.createTempDirectory(TMP, PREFIX);
    try {
      if (created) {
        Files.writeString(run.resolve(BRIDGE_MARK), BRIDGE + "\n");
      }
      return new PrivateDockerd(run, launch(dockerd, run), created);
    } catch (IOException | RuntimeException e) {
      new PrivateDockerd(run, null, created).stop();
      throw e;
    }
  }

  /**
   * Writes the owner pid and an empty daemon.json into {@code run}, then starts dockerd logging to
   * a file.
   */
  private static Process launch(String dockerd, Path run) throws IOException {
    Files.writeString(run.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
    Files.writeString(
        run.resolve("daemon.json"), "{}\n"); // never read the host's /etc/docker/daemon.json
    String ns = run.getFileName().toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                dockerd,
                "--host",
                "unix://" + run.resolve("docker.sock"),
                "--data-root",
                run.resolve("data").toString(),
                "--exec-root",
                run.resolve("exec").toString(),
                "--pidfile",
                run.resolve("docker.pid").toString(),
                "--config-file",
                run.resolve("daemon.json").toString(),
                "--bridge",
                BRIDGE,
                "--iptables=false",
                "--ip-masq=false",
                "--containerd-namespace",
                ns,
                "--containerd-plugins-namespace",
                ns + "-plugins",
                "--shutdown-timeout",
                "5")
            .redirectErrorStream(true)
            .redirectOutput(run.resolve("dockerd.log").toFile())
            .redirectInput(Redirect.from(new File("/dev/null")));
    pb.environment().merge("PATH", Sys.EXTRA_PATH, (a, b) -> a + ":" + b);
    return pb.start();
  }

  /** The engine's socket as a DOCKER_HOST value. */
  String dockerHost() {
    return "unix://" + runDir.resolve("docker.sock");
  }

  /**
   * Polls {@code ping} until it succeeds; throws with the log tail if dockerd dies or the time runs
   * out.
   */
  void awaitReady(Callable<?> ping, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "dockerd exited with code " + process.exitValue() + "; log tail:\n" + logTail());
      }
      if (Files.exists(runDir.resolve("docker.sock"))) {
        try {
          ping.call();
          return;
        } catch (Exception e) {
          last = e;
        }
      }
      Thread.sleep(100);
    }
    throw new IOException(
        "dockerd did not answer ping within "
            + timeout.toSeconds()
            + " s (last: "
            + last
            + "); log tail:\n"
            + logTail());
  }

  /**
   * SIGTERMs dockerd by pid, waits for it, deletes the bridge if we made it, removes the run
   * folder.
   */
  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (process != null) {
        process.destroy(); // SIGTERM
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          System.err.println(
              "[test-engine] dockerd " + process.pid() + " ignored SIGTERM for 30 s: SIGKILL");
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      removeLeftovers(runDir);
      if (createdBridge && bridgePorts() == 0) { // ports left: another engine joined it meanwhile
        Sys.run("ip", "link", "del", BRIDGE);
      }
    } catch (IOException e) {
      System.err.println("[test-engine] cleanup of " + runDir + " incomplete: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of dockerd's log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(runDir.resolve("dockerd.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Creates and raises the bridge unless it exists; true when this call created it. */
  private static boolean ensureBridge() throws IOException {
    if (Sys.run("ip", "link", "show", BRIDGE).ok()) {
      if (bridgePorts() > 0) {
        System.err.println(
            "[test-engine] bridge " + BRIDGE + " exists with ports: another engine may use it");
      }
      if (!Sys.run("ip", "-4", "addr", "show", "dev", BRIDGE).output().contains("inet ")) {
        // an address-less bridge makes dockerd pick 172.17.0.1/16 itself, docker0's range
        System.err.println(
            "[test-engine] bridge " + BRIDGE + " had no IPv4 address: adding " + BRIDGE_ADDRESS);
        Sys.check("ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE);
        Sys.check("ip", "link", "set", BRIDGE, "up");
      }
      return false;
    }
    if (!Sys.run("ip", "link", "add", BRIDGE, "type", "bridge").ok()) {
      return false; // made meanwhile by a concurrent test JVM
    }
    try {
      Sys.check("ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE);
      Sys.check("ip", "link", "set", BRIDGE, "up");
      return true;
    } catch (IOException e) {
      Sys.run("ip", "link", "del", BRIDGE);
      throw e;
    }
  }

  /** How many interfaces are attached to the bridge (0 when it is missing). */
  private static int bridgePorts() {
    String[] ports = new File("/sys/class/net/" + BRIDGE + "/brif").list();
    return ports == null ? 0 : ports.length;
  }

  /**
   * Stops and removes engines left by test JVMs that died (owner pid gone); true if one had made
   * the bridge.
   */
  private static boolean sweepOrphans() throws IOException {
    boolean madeBridge = false;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TMP, PREFIX + "*")) {
      for (Path dir : dirs) {
        if (ownerAlive(dir)) {
          continue;
        }
        System.err.println("[test-engine] removing the engine left behind in " + dir);
        madeBridge |= Files.exists(dir.resolve(BRIDGE_MARK));
        removeLeftovers(dir);
      }
    }
    return madeBridge;
  }

  /**
   * True unless {@code dir} names an owner pid that has ended; a folder being set up counts as
   * alive.
   */
  private static boolean ownerAlive(Path dir) {
    try {
      return ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("owner.pid")).trim()))
          .isPresent();
    } catch (IOException | NumberFormatException notYetWritten) {
      return true;
    }
  }

  /** SIGTERMs what still runs from {@code dir} (dockerd first), unmounts and deletes the folder. */
  private static void removeLeftovers(Path dir) throws IOException {
    String mark = dir + "/";
    List<ProcessHandle> daemons =
        Sys.processesMentioning(mark).stream()
            .filter(p -> p.info().command().orElse("").endsWith("/dockerd"))
            .toList();
    daemons.forEach(ProcessHandle::destroy);
    Sys.awaitExit(daemons, 30);
    List<ProcessHandle> rest = Sys.processesMentioning(mark);
    rest.forEach(ProcessHandle::destroy);
    Sys.awaitExit(rest, 10);
    Sys.unmountUnder(dir);
    Sys.deleteTree(dir);
  }
}
