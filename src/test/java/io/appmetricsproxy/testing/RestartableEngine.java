package io.appmetricsproxy.testing;

import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real dockerd of one test that the test stops (SIGTERM by pid) and starts again on the same
 * socket, data-root and bridge (amp-test1, 172.31.78.1/24), or makes hang (SIGSTOP, then SIGCONT),
 * beside {@link TestEngine}'s. The code under test gets {@link #dockerHost()}; the test's own
 * requests go through a second socket ({@link #admin()}), so that the connections to the first one
 * are all the code's.
 */
public final class RestartableEngine implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final PrivateDockerd daemon;
  private volatile TestEngine admin;
  private volatile boolean hung;

  private RestartableEngine(PrivateDockerd daemon) {
    this.daemon = daemon;
  }

  /**
   * Starts the engine, with {@code "live-restore": true} in its daemon.json or without; skips the
   * test without dockerd, root or iproute2 (the bridge, {@link UnixConnections}), or fails it under
   * CI=true.
   */
  public static RestartableEngine start(boolean liveRestore) throws Exception {
    Prerequisite.require(
        Sys.which("dockerd") != null, "dockerd not found (src/test/setup.sh installs docker.io)");
    Prerequisite.require(Sys.isRoot(), "a private dockerd needs root");
    Prerequisite.require(
        Sys.which("ip") != null && Sys.which("ss") != null,
        "ip or ss not found (src/test/setup.sh installs iproute2)");
    String config = liveRestore ? "{\"live-restore\": true}\n" : "{}\n";
    PrivateDockerd daemon = PrivateDockerd.start(PrivateDockerd.RESTARTABLE, config, true);
    RestartableEngine engine = new RestartableEngine(daemon);
    try {
      engine.awaitReady();
      return engine;
    } catch (Exception e) {
      daemon.stop();
      throw e;
    }
  }

  /** The socket the code under test is given, as DOCKER_HOST. */
  public String dockerHost() {
    return daemon.dockerHost();
  }

  /** The path of {@link #dockerHost()}'s socket. */
  public Path socket() {
    return Path.of(dockerHost().substring("unix://".length()));
  }

  /** The test's own client, on the second socket; a new one after each start. */
  public TestEngine admin() {
    TestEngine a = admin;
    if (a == null) {
      throw new IllegalStateException("the engine is stopped");
    }
    return a;
  }

  /** SIGTERMs dockerd and waits for it (and its containerd) to exit; returns how long that took. */
  public Duration stop() throws IOException, InterruptedException {
    TestEngine a = admin;
    admin = null;
    if (a != null) {
      a.closeClient();
    }
    return daemon.stopDaemon();
  }

  /**
   * The engine hangs: dockerd is stopped with SIGSTOP (by its pid). Its sockets accept connections
   * and nothing answers, the admin socket's included; its containers run on.
   */
  public void hang() throws IOException {
    daemon.signal("STOP");
    hung = true;
  }

  /** The hung dockerd goes on (SIGCONT), answering what it was asked meanwhile. */
  public void resume() throws IOException {
    daemon.signal("CONT");
    hung = false;
  }

  /** Starts dockerd again on the same folders; returns the time until it answered ping. */
  public Duration start() throws Exception {
    long started = System.nanoTime();
    daemon.startAgain();
    awaitReady();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private void awaitReady() throws Exception {
    String host = daemon.adminHost();
    daemon.awaitReady(() -> admin = TestEngine.open(host), READY_TIMEOUT);
  }

  /**
   * Removes every container (if the engine runs), stops dockerd, removes its folders and bridge.
   */
  @Override
  public void close() {
    if (hung) {
      try {
        resume(); // else the removals below wait on a stopped dockerd
      } catch (IOException | RuntimeException e) {
        System.err.println("[restartable-engine] could not resume dockerd: " + e);
      }
    }
    TestEngine a = admin;
    admin = null;
    if (a != null) {
      try {
        for (Container c : a.client().listContainersCmd().withShowAll(true).exec()) {
          a.client().removeContainerCmd(c.getId()).withForce(true).exec();
        }
      } catch (RuntimeException e) {
        System.err.println("[restartable-engine] could not remove containers: " + e);
      }
      a.closeClient();
    }
    daemon.stop();
  }
}
