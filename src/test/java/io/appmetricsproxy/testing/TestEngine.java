package io.appmetricsproxy.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import org.opentest4j.TestAbortedException;

/**
 * The one real Docker engine of this test JVM: DOCKER_HOST / test.docker.host if set, else a
 * private dockerd.
 */
public final class TestEngine {
  private static final Object LOCK = new Object();
  private static TestEngine instance;
  private static String failure;

  private final String dockerHost;
  private final DockerHttpClient http;
  private final DockerClient client;
  private final PrivateDockerd daemon;
  private volatile String bridgeGateway;

  private TestEngine(String dockerHost, PrivateDockerd daemon) {
    this.dockerHost = dockerHost;
    this.daemon = daemon;
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
    this.http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(50)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMinutes(2))
            .build();
    this.client = DockerClientImpl.getInstance(config, http);
  }

  /**
   * The engine, started on first use; without one it fails the test if env CI=true, else skips it,
   * with the reason.
   */
  public static TestEngine get() {
    synchronized (LOCK) {
      if (instance == null && failure == null) { // a failed start is not retried in this JVM
        try {
          instance = open(configuredHost());
        } catch (Exception e) {
          failure = e.getMessage() == null ? e.toString() : e.getMessage();
          System.err.println("[test-engine] no Docker engine: " + failure);
        }
      }
      if (instance != null) {
        return instance;
      }
    }
    throw unavailable(failure, Prerequisite.onCi());
  }

  /** The engine address, e.g. "unix:///tmp/amp-engine-123/docker.sock". */
  public String dockerHost() {
    return dockerHost;
  }

  /** A docker-java client for the engine, shared; do not close it. */
  public DockerClient client() {
    return client;
  }

  /**
   * The raw HTTP transport of {@link #client()}, for calls docker-java gets wrong (image import).
   */
  DockerHttpClient http() {
    return http;
  }

  /** The gateway address of the engine's default "bridge" network, e.g. "172.31.77.1". */
  public String bridgeGateway() {
    if (bridgeGateway == null) {
      Network.Ipam.Config ipam =
          client.inspectNetworkCmd().withNetworkId("bridge").exec().getIpam().getConfig().get(0);
      // an engine on a bridge it did not address itself may report only the subnet: its gateway is
      // the first host
      bridgeGateway = ipam.getGateway() != null ? ipam.getGateway() : firstHost(ipam.getSubnet());
    }
    return bridgeGateway;
  }

  private static String firstHost(String cidr) {
    String[] octets = cidr.split("/")[0].split("\\.");
    octets[3] = Integer.toString(Integer.parseInt(octets[3]) + 1);
    return String.join(".", octets);
  }

  /** The exception that reports a missing engine: a failure on CI, an aborted test elsewhere. */
  static RuntimeException unavailable(String reason, boolean ci) {
    String message = "No Docker engine for integration tests: " + reason;
    return ci
        ? new IllegalStateException(message + " (CI=true, so this fails)")
        : new TestAbortedException(message + " (skipped; with CI=true this fails)");
  }

  /**
   * Connects to {@code host}, or starts a private dockerd when it is null; throws with the reason
   * if neither works.
   */
  static TestEngine open(String host) throws Exception {
    if (host != null) {
      TestEngine engine = new TestEngine(host, null);
      try {
        engine.client.pingCmd().exec();
      } catch (RuntimeException e) {
        engine.client.close();
        throw new IOException("the engine at " + host + " does not answer ping: " + e, e);
      }
      return engine;
    }
    long started = System.nanoTime();
    PrivateDockerd daemon = PrivateDockerd.start();
    TestEngine engine = new TestEngine(daemon.dockerHost(), daemon);
    try {
      daemon.awaitReady(() -> engine.client.pingCmd().exec(), Duration.ofSeconds(60));
    } catch (Exception e) {
      engine.shutdown(false);
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> engine.shutdown(true), "amp-test-engine-stop"));
    System.err.printf(
        "[test-engine] private dockerd at %s ready in %d ms%n",
        engine.dockerHost, (System.nanoTime() - started) / 1_000_000);
    return engine;
  }

  /** System property test.docker.host, else env DOCKER_HOST, else null (blank counts as unset). */
  private static String configuredHost() {
    String host = System.getProperty("test.docker.host");
    if (host == null || host.isBlank()) {
      host = System.getenv("DOCKER_HOST");
    }
    return host == null || host.isBlank() ? null : host.trim();
  }

  /** Closes the client of an engine opened with {@link #open(String)} outside {@link #get()}. */
  void closeClient() {
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      // closing is best effort
    }
  }

  /**
   * Private engine only: removes every container (if it answers), closes the client, stops dockerd,
   * cleans up.
   */
  private void shutdown(boolean removeContainers) {
    if (removeContainers) {
      try {
        for (Container c : client.listContainersCmd().withShowAll(true).exec()) {
          client.removeContainerCmd(c.getId()).withForce(true).exec();
        }
      } catch (RuntimeException e) {
        System.err.println("[test-engine] could not remove containers before stopping: " + e);
      }
    }
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      // closing is best effort
    }
    daemon.stop();
  }
}
