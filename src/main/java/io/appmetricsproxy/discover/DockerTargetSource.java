package io.appmetricsproxy.discover;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Targets from the Docker engine: one list call per cycle, plus the engine's name and Swarm address
 * once.
 */
final class DockerTargetSource implements TargetSource {
  private final DockerClient client;
  private final EngineCalls calls;
  private final String dockerHost;
  private final TargetRules rules;
  private final Optional<String> selfId;
  private volatile String node;
  private volatile Optional<String> address;

  DockerTargetSource(
      DockerClient client,
      EngineCalls calls,
      String dockerHost,
      TargetRules rules,
      Optional<String> selfId,
      Optional<String> node,
      Optional<String> advertised) {
    this.client = client;
    this.calls = calls;
    this.dockerHost = dockerHost;
    this.rules = rules;
    this.selfId = selfId;
    this.node = node.orElse(null);
    this.address = advertised.isPresent() ? advertised : null;
  }

  /** One list call (and the engine's name, once) within the engine call deadline. */
  @Override
  public Discovery discover() {
    return calls.call("targets", this::list);
  }

  private Discovery list() {
    try {
      if (node == null || address == null) {
        Info info = client.infoCmd().exec();
        node = node == null ? info.getName() : node;
        address = address == null ? swarmAddress(info) : address;
      }
      List<Container> running =
          client.listContainersCmd().withStatusFilter(List.of("running")).exec();
      return rules
          .classify(node, running.stream().map(DockerTargetSource::info).toList(), selfId)
          .at(address);
    } catch (RuntimeException e) {
      throw new DiscoveryException(
          "Docker engine at " + dockerHost + ": " + DockerEngine.reason(e), e);
    }
  }

  /** The node's address in its Swarm; empty outside one. */
  static Optional<String> swarmAddress(Info info) {
    return Optional.ofNullable(info.getSwarm())
        .map(SwarmInfo::getNodeAddr)
        .filter(a -> !a.isBlank());
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

  /** Nothing: the {@link DockerEngine} owns the connection. */
  @Override
  public void close() {}
}
