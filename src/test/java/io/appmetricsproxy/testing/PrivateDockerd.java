package io.appmetricsproxy.testing;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** A dockerd of the test JVM's own: private socket, folders and bridge, stopped by its pid. */
final class PrivateDockerd {
  /**
   * Where a kind of private engine lives: its bridge, the bridge's address and the prefix of its
   * /tmp run folders. Engines of different kinds run side by side; each kind sweeps only its own.
   */
  record Layout(String bridge, String bridgeAddress, String prefix) {}

  /** The shared engine of {@link TestEngine}. */
  static final Layout SHARED = new Layout("amp-test0", "172.31.77.1/24", "amp-engine-");

  /** The engines that tests stop and start again ({@link RestartableEngine}). */
  static final Layout RESTARTABLE = new Layout("amp-test1", "172.31.78.1/24", "amp-restart-");

  private static final Path TMP = Path.of("/tmp");
  private static final String BRIDGE_MARK = "bridge.created";

  private final Layout layout;
  private final Path runDir;
  private final String dockerd;
  private final boolean adminSocket;
  private final boolean createdBridge;
  private Process process;
  private boolean stopped;

  private PrivateDockerd(
      Layout layout, Path runDir, String dockerd, boolean adminSocket, boolean createdBridge) {
    this.layout = layout;
    this.runDir = runDir;
    this.dockerd = dockerd;
    this.adminSocket = adminSocket;
    this.createdBridge = createdBridge;
  }

  /**
   * Starts dockerd on bridge amp-test0 (created if missing) in a fresh /tmp/amp-engine-* folder.
   */
  static PrivateDockerd start() throws IOException {
    return start(SHARED, "{}\n", false);
  }

  /**
   * Starts dockerd on the layout's bridge (created if missing) in a fresh run folder with {@code
   * daemonJson} as its configuration; with {@code adminSocket} it also listens on {@link
   * #adminHost()}, so that a test's own requests never mix with those it watches on {@link
   * #dockerHost()}.
   */
  static PrivateDockerd start(Layout layout, String daemonJson, boolean adminSocket)
      throws IOException {
    String dockerd = Sys.which("dockerd");
    if (dockerd == null) {
      throw new IOException("dockerd not found (install docker.io, or set DOCKER_HOST)");
    }
    if (!Sys.isRoot()) {
      throw new IOException("a private dockerd needs root (or set DOCKER_HOST to an engine)");
    }
    boolean inherited = sweepOrphans(layout); // a dead run's bridge becomes ours to delete
    boolean created = ensureBridge(layout) || inherited;
    Path run = Files.createTempDirectory(TMP, layout.prefix());
    PrivateDockerd daemon = new PrivateDockerd(layout, run, dockerd, adminSocket, created);
    try {
      if (created) {
        Files.writeString(run.resolve(BRIDGE_MARK), layout.bridge() + "\n");
      }
      Files.writeString(run.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
      // never the host's /etc/docker/daemon.json
      Files.writeString(run.resolve("daemon.json"), daemonJson);
      daemon.launch();
      return daemon;
    } catch (IOException | RuntimeException e) {
      daemon.stop();
      throw e;
    }
  }

  /** Starts dockerd on this run folder (a fresh one, or the same again), logging to a file. */
  private synchronized void launch() throws IOException {
    Path run = runDir;
    Files.deleteIfExists(run.resolve("docker.pid")); // a killed dockerd leaves it behind
    String ns = run.getFileName().toString();
    List<String> command =
        new ArrayList<>(List.of(dockerd, "--host", "unix://" + run.resolve("docker.sock")));
    if (adminSocket) {
      command.addAll(List.of("--host", "unix://" + run.resolve("admin.sock")));
    }
    command.addAll(
        List.of(
            "--data-root",
            run.resolve("data").toString(),
            "--exec-root",
            run.resolve("exec").toString(),
            "--pidfile",
            run.resolve("docker.pid").toString(),
            "--config-file",
            run.resolve("daemon.json").toString(),
            "--bridge",
            layout.bridge(),
            "--iptables=false",
            "--ip-masq=false",
            "--containerd-namespace",
            ns,
            "--containerd-plugins-namespace",
            ns + "-plugins",
            "--shutdown-timeout",
            "5"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(run.resolve("dockerd.log").toFile()))
        .redirectInput(Redirect.from(new File("/dev/null")));
    pb.environment().merge("PATH", Sys.EXTRA_PATH, (a, b) -> a + ":" + b);
    process = pb.start();
  }

  /**
   * SIGTERMs dockerd by its pid and waits until it and the containerd it started have exited; the
   * run folder stays for {@link #startAgain()}. Returns how long the stop took.
   */
  synchronized Duration stopDaemon() throws IOException, InterruptedException {
    long started = System.nanoTime();
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy(); // SIGTERM
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IOException("dockerd " + p.pid() + " ignored SIGTERM for 30 s");
      }
    }
    // its containerd ends shortly after it; a new dockerd would start a second one on its socket
    List<ProcessHandle> containerd =
        Sys.processesMentioning(runDir + "/").stream()
            .filter(h -> h.info().command().orElse("").endsWith("/containerd"))
            .toList();
    if (!Sys.awaitExit(containerd, 15)) {
      throw new IOException("the containerd of " + runDir + " outlived its dockerd by 15 s");
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * Sends {@code signal} ("STOP", "CONT") to this dockerd alone, by its pid: stopped, it accepts
   * connections and answers nothing, while its containerd and containers run on.
   */
  synchronized void signal(String signal) throws IOException {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("dockerd does not run");
    }
    Sys.check("kill", "-" + signal, Long.toString(p.pid()));
  }

  /** Starts dockerd again on the same socket, data-root and bridge as before. */
  synchronized void startAgain() throws IOException {
    if (stopped) {
      throw new IllegalStateException("removed already: " + runDir);
    }
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("dockerd " + process.pid() + " still runs");
    }
    launch();
  }

  /** The second socket (see {@link #start(Layout, String, boolean)}) as a DOCKER_HOST value. */
  String adminHost() {
    if (!adminSocket) {
      throw new IllegalStateException("started without an admin socket");
    }
    return "unix://" + runDir.resolve("admin.sock");
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
    Process process = currentProcess();
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

  private synchronized Process currentProcess() {
    return process;
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
        if (process.isAlive()) {
          Sys.run("kill", "-CONT", Long.toString(process.pid())); // a hung one must hear SIGTERM
        }
        process.destroy(); // SIGTERM
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          System.err.println(
              "[test-engine] dockerd " + process.pid() + " ignored SIGTERM for 30 s: SIGKILL");
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      removeLeftovers(runDir);
      if (createdBridge && bridgePorts(layout) == 0) { // ports: another engine joined it meanwhile
        Sys.run("ip", "link", "del", layout.bridge());
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
  private static boolean ensureBridge(Layout layout) throws IOException {
    String bridge = layout.bridge();
    if (Sys.run("ip", "link", "show", bridge).ok()) {
      if (bridgePorts(layout) > 0) {
        System.err.println(
            "[test-engine] bridge " + bridge + " exists with ports: another engine may use it");
      }
      if (!Sys.run("ip", "-4", "addr", "show", "dev", bridge).output().contains("inet ")) {
        // an address-less bridge makes dockerd pick 172.17.0.1/16 itself, docker0's range
        System.err.println(
            "[test-engine] bridge "
                + bridge
                + " had no IPv4 address: adding "
                + layout.bridgeAddress());
        Sys.check("ip", "addr", "add", layout.bridgeAddress(), "dev", bridge);
        Sys.check("ip", "link", "set", bridge, "up");
      }
      return false;
    }
    if (!Sys.run("ip", "link", "add", bridge, "type", "bridge").ok()) {
      return false; // made meanwhile by a concurrent test JVM
    }
    try {
      Sys.check("ip", "addr", "add", layout.bridgeAddress(), "dev", bridge);
      Sys.check("ip", "link", "set", bridge, "up");
      return true;
    } catch (IOException e) {
      Sys.run("ip", "link", "del", bridge);
      throw e;
    }
  }

  /** How many interfaces are attached to the bridge (0 when it is missing). */
  private static int bridgePorts(Layout layout) {
    String[] ports = new File("/sys/class/net/" + layout.bridge() + "/brif").list();
    return ports == null ? 0 : ports.length;
  }

  /**
   * Stops and removes engines left by test JVMs that died (owner pid gone); true if one had made
   * the bridge.
   */
  private static boolean sweepOrphans(Layout layout) throws IOException {
    boolean madeBridge = false;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TMP, layout.prefix() + "*")) {
      for (Path dir : dirs) {
        if (ownerAlive(dir)) {
          continue;
        }
        System.err.println("[test-engine] removing the engine left behind in " + dir);
        madeBridge |= marksBridge(dir, layout);
        removeLeftovers(dir);
      }
    }
    return madeBridge;
  }

  /** True when {@code dir}'s engine made the layout's bridge (and no other). */
  private static boolean marksBridge(Path dir, Layout layout) {
    try {
      return Files.readString(dir.resolve(BRIDGE_MARK)).trim().equals(layout.bridge());
    } catch (IOException none) {
      return false;
    }
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
