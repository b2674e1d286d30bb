package io.appmetricsproxy.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Docker engine is asked for containers, and how its containers become targets.
 *
 * @param environment DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CONFIG as set
 * @param nodeName NODE_NAME; empty: the engine's name
 * @param ports tried on every container: {@link #DEFAULT_PORTS}, then those of PORTS
 * @param metricsPath path scraped on each container (METRICS_PATH)
 * @param advertiseAddress ADVERTISE_ADDRESS: where Prometheus reaches this node's proxy; empty: the
 *     node's Swarm address
 * @param clusterName CLUSTER_NAME: the {@code cluster} label of every target
 */
public record DockerSettings(
    Map<String, String> environment,
    Optional<String> nodeName,
    List<Integer> ports,
    String metricsPath,
    Optional<String> advertiseAddress,
    Optional<String> clusterName) {

  /** Ports tried on every container, before those of PORTS. */
  public static final List<Integer> DEFAULT_PORTS = List.of(80, 8080, 9100);

  public DockerSettings {
    environment = Map.copyOf(environment);
    Objects.requireNonNull(nodeName);
    ports = List.copyOf(ports);
    Objects.requireNonNull(metricsPath);
    Objects.requireNonNull(advertiseAddress);
    Objects.requireNonNull(clusterName);
  }

  /** Settings without an advertised address or cluster name. */
  public DockerSettings(
      Map<String, String> environment,
      Optional<String> nodeName,
      List<Integer> ports,
      String metricsPath) {
    this(environment, nodeName, ports, metricsPath, Optional.empty(), Optional.empty());
  }

  /** The DOCKER_HOST the proxy talks to. */
  public String dockerHost() {
    return environment.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
  }
}
