package io.appmetricsproxy.discover;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.appmetricsproxy.config.DockerSettings;
import io.appmetricsproxy.lang.Causes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One connection to the Docker engine, shared by the target source and the peer source. */
public final class DockerEngine implements AutoCloseable {
  private static final Duration MAX_DEADLINE = Duration.ofSeconds(5);

  private final DockerSettings settings;
  private final Duration deadline;
  private final DockerClient client;
  private final EngineCalls calls;
  private final Optional<String> selfId;

  DockerEngine(DockerSettings settings, Duration interval, Optional<String> selfId) {
    this.settings = settings;
    this.deadline = deadline(interval);
    this.client = client(settings, deadline, deadline);
    this.calls = new EngineCalls(settings.dockerHost(), deadline);
    this.selfId = selfId;
  }

  /**
   * How long an engine call may take ({@link EngineCalls}): half the interval, at most 5 s. An
   * engine that hangs (a stopped dockerd accepts connections and answers nothing) is then an engine
   * fault reported by the cycle that asked it, not a cycle that never ends.
   */
  static Duration deadline(Duration interval) {
    Duration half = interval.dividedBy(2);
    return half.compareTo(MAX_DEADLINE) > 0 ? MAX_DEADLINE : half;
  }

  /**
   * The engine that {@code settings} names, seen from the container the proxy runs in (if any); its
   * calls' deadline follows the scrape {@code interval}.
   */
  public static DockerEngine create(DockerSettings settings, Duration interval) {
    return new DockerEngine(settings, interval, SelfContainer.detect());
  }

  /** This proxy's own container, when it runs in one on this engine. */
  public Optional<String> selfId() {
    return selfId;
  }

  /** Targets of this engine, the proxy's own container left out; closing it leaves this open. */
  public TargetSource targetSource() {
    return new DockerTargetSource(
        client,
        calls,
        settings.dockerHost(),
        new TargetRules(settings),
        selfId,
        settings.nodeName(),
        settings.advertiseAddress());
  }

  /**
   * This node's Swarm role and the other tasks of the proxy's service, reached on {@code
   * replicationPort}, plus the {@code configured} peers (REPLICATION_PEERS).
   */
  public PeerSource peerSource(int replicationPort, List<Peer> configured) {
    return new DockerPeerSource(
        client, calls, settings.dockerHost(), selfId, new PeerRules(replicationPort, configured));
  }

  /**
   * Follows this engine's container events on a connection of their own, until closed; the first
   * subscription is made in the background, each after a ping within the engine call deadline.
   */
  public EventWatcher watch(EventWatcher.Listener listener) {
    // a quiet stream is no failure: no read timeout worth the name on this connection
    EventWatcher watcher =
        new EventWatcher(
            client(settings, deadline, Duration.ofDays(1)),
            client,
            settings.dockerHost(),
            listener);
    watcher.start();
    return watcher;
  }

  private static DockerClient client(
      DockerSettings settings, Duration connectTimeout, Duration responseTimeout) {
    Map<String, String> env = settings.environment();
    DockerClientConfig dockerConfig =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(settings.dockerHost())
            .withDockerTlsVerify(env.get("DOCKER_TLS_VERIFY"))
            .withDockerCertPath(env.get("DOCKER_CERT_PATH"))
            .withDockerConfig(env.get("DOCKER_CONFIG"))
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(dockerConfig.getDockerHost())
            .sslConfig(dockerConfig.getSSLConfig())
            .maxConnections(4)
            .connectionTimeout(connectTimeout)
            .responseTimeout(responseTimeout)
            .build();
    return DockerClientImpl.getInstance(dockerConfig, http);
  }

  /** The innermost message: "Connection refused", "No such file or directory", a status line. */
  static String reason(Throwable e) {
    String message = e.getMessage();
    for (Throwable c : Causes.chain(e)) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        message = c.getMessage();
      }
    }
    Throwable t = Causes.innermost(e);
    if (message == null || message.isBlank()) {
      message = t.getClass().getSimpleName();
    }
    return message.strip().replaceAll("\\s+", " ");
  }

  @Override
  public void close() {
    calls.close();
    try {
      client.close();
    } catch (IOException ignored) {
      // the engine connection goes away with the webapp either way
    }
  }
}
