package io.appmetricsproxy.discover;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.appmetricsproxy.config.Config;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Targets from the Docker engine: one list call per cycle, plus the engine's name once. */
public final class DockerTargetSource implements TargetSource {
  private final DockerClient client;
  private final String dockerHost;
  private final TargetRules rules;
  private final Optional<String> selfId;
  private volatile String node;

  DockerTargetSource(
      DockerClient client,
      String dockerHost,
      TargetRules rules,
      Optional<String> selfId,
      Optional<String> node) {
    this.client = client;
    this.dockerHost = dockerHost;
    this.rules = rules;
    this.selfId = selfId;
    this.node = node.orElse(null);
  }

  /** A source for the engine that {@code config} names, with the proxy's own container left out. */
  public static DockerTargetSource create(Config config) {
    Map<String, String> env = config.dockerEnvironment();
    DockerClientConfig dockerConfig =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(config.dockerHost())
            .withDockerTlsVerify(env.get("DOCKER_TLS_VERIFY"))
            .withDockerCertPath(env.get("DOCKER_CERT_PATH"))
            .withDockerConfig(env.get("DOCKER_CONFIG"))
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(dockerConfig.getDockerHost())
            .sslConfig(dockerConfig.getSSLConfig())
            .maxConnections(4)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(config.scrapeInterval().plusSeconds(5))
            .build();
    return new DockerTargetSource(
        DockerClientImpl.getInstance(dockerConfig, http),
        config.dockerHost(),
        new TargetRules(config),
        SelfContainer.detect(),
        config.nodeName());
  }

  @Override
  public Discovery discover() {
    try {
      if (node == null) {
        node = client.infoCmd().exec().getName();
      }
      List<Container> running =
          client.listContainersCmd().withStatusFilter(List.of("running")).exec();
      return rules.classify(node, running.stream().map(DockerTargetSource::info).toList(), selfId);
    } catch (RuntimeException e) {
      throw new DiscoveryException("Docker engine at " + dockerHost + ": " + reason(e), e);
    }
  }

  static ContainerInfo info(Container c) {
    String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0];
    Map<String, ContainerInfo.Endpoint> networks = new LinkedHashMap<>();
    if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
      for (Map.Entry<String, ContainerNetwork> n :
          c.getNetworkSettings().getNetworks().entrySet()) {
        ContainerNetwork net = n.getValue();
        networks.put(n.getKey(), new ContainerInfo.Endpoint(net.getIpAddress(), net.getGateway()));
      }
    }
    return new ContainerInfo(
        c.getId(),
        name.startsWith("/") ? name.substring(1) : name,
        c.getLabels() == null ? Map.of() : c.getLabels(),
        c.getHostConfig() == null ? "" : c.getHostConfig().getNetworkMode(),
        networks);
  }

  /** The innermost message: "Connection refused", "No such file or directory", a status line. */
  static String reason(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message == null || message.isBlank()) {
      message = t.getClass().getSimpleName();
    }
    return message.strip().replaceAll("\\s+", " ");
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException ignored) {
      // the engine connection goes away with the webapp either way
    }
  }
}
