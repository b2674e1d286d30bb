package io.appmetricsproxy.discover;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Peers from the engine's Swarm state: on a manager, the other tasks of the service that the
 * proxy's own container belongs to; elsewhere only the configured peers.
 */
final class DockerPeerSource implements PeerSource {
  static final String SERVICE_ID_LABEL = "com.docker.swarm.service.id";

  private final Logger logger = Logger.getLogger(DockerPeerSource.class.getName());
  private final DockerClient client;
  private final EngineCalls calls;
  private final String dockerHost;
  private final Optional<String> selfId;
  private final PeerRules rules;
  private volatile Role lastRole;

  DockerPeerSource(
      DockerClient client,
      EngineCalls calls,
      String dockerHost,
      Optional<String> selfId,
      PeerRules rules) {
    this.client = client;
    this.calls = calls;
    this.dockerHost = dockerHost;
    this.selfId = selfId;
    this.rules = rules;
  }

  @Override
  public Peers discover() {
    Peers peers =
        calls.call(
            "peers",
            () -> {
              try {
                return read();
              } catch (RuntimeException e) {
                throw new DiscoveryException(
                    "Docker engine at " + dockerHost + ": " + DockerEngine.reason(e), e);
              }
            });
    if (peers.role() != lastRole) {
      lastRole = peers.role();
      logger.info(
          "Swarm role "
              + peers.role()
              + (peers.nodeId().isPresent() ? " on node " + peers.nodeId().get() : "")
              + ": "
              + peers.peers().size()
              + " peers, "
              + (peers.drives() ? "drives replication" : "does not drive replication")
              + (peers.problems().isEmpty() ? "" : "; " + String.join("; ", peers.problems())));
    }
    return peers;
  }

  private Peers read() {
    SwarmInfo swarm = client.infoCmd().exec().getSwarm();
    LocalNodeState state = swarm == null ? null : swarm.getLocalNodeState();
    Optional<String> nodeId =
        Optional.ofNullable(swarm == null ? null : swarm.getNodeID()).filter(s -> !s.isBlank());
    if (state != LocalNodeState.ACTIVE) {
      List<String> problems = new ArrayList<>();
      if (state == LocalNodeState.ERROR || state == LocalNodeState.LOCKED) {
        String error = swarm.getError() == null ? "" : ": " + swarm.getError();
        problems.add("Swarm node state " + state.getValue() + error);
      }
      return rules.combine(Role.STANDALONE, nodeId, List.of(), problems);
    }
    if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
      return rules.combine(Role.WORKER, nodeId, List.of(), List.of());
    }
    Optional<InspectContainerResponse> me = self();
    String serviceId =
        me.map(c -> c.getConfig().getLabels())
            .map(labels -> labels.get(SERVICE_ID_LABEL))
            .orElse(null);
    if (serviceId == null) {
      String why =
          me.isEmpty()
              ? "the proxy's own container is unknown (not run in a container of this engine?)"
              : "the proxy's own container is not a task of a Swarm service";
      return rules.combine(Role.MANAGER, nodeId, List.of(), List.of(why + ": no Swarm peers"));
    }
    List<PeerRules.Task> tasks =
        client
            .listTasksCmd()
            .withServiceFilter(serviceId)
            .withStateFilter(TaskState.RUNNING)
            .exec()
            .stream()
            .map(DockerPeerSource::task)
            .toList();
    List<PeerRules.Node> nodes =
        client.listSwarmNodesCmd().exec().stream().map(DockerPeerSource::node).toList();
    return rules.manager(nodeId, self(me.get()), tasks, nodes);
  }

  private Optional<InspectContainerResponse> self() {
    if (selfId.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(client.inspectContainerCmd(selfId.get()).exec());
    } catch (NotFoundException ignored) {
      return Optional.empty();
    }
  }

  static PeerRules.Self self(InspectContainerResponse c) {
    Map<String, String> networks = new LinkedHashMap<>();
    if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
      for (Map.Entry<String, ContainerNetwork> n :
          c.getNetworkSettings().getNetworks().entrySet()) {
        String id = n.getValue().getNetworkID();
        networks.put(id == null || id.isEmpty() ? n.getKey() : id, n.getKey());
      }
    }
    Map<String, String> labels = c.getConfig() == null ? null : c.getConfig().getLabels();
    Optional<String> taskId =
        Optional.ofNullable(labels == null ? null : labels.get(TargetRules.TASK_ID_LABEL));
    return new PeerRules.Self(c.getId(), taskId, networks);
  }

  /**
   * A task as plain values; docker-java's Task has no field for NetworksAttachments, so they are
   * read from its raw JSON values.
   */
  static PeerRules.Task task(com.github.dockerjava.api.model.Task t) {
    Optional<String> container =
        Optional.ofNullable(t.getStatus())
            .map(s -> s.getContainerStatus())
            .map(s -> s.getContainerID());
    String state =
        t.getStatus() == null || t.getStatus().getState() == null
            ? ""
            : t.getStatus().getState().getValue();
    List<PeerRules.Attachment> attachments = new ArrayList<>();
    if (t.getRawValues().get("NetworksAttachments") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> a) {
          attachments.add(attachment(a));
        }
      }
    }
    return new PeerRules.Task(t.getId(), t.getNodeId(), state, container, attachments);
  }

  private static PeerRules.Attachment attachment(Map<?, ?> a) {
    Map<?, ?> network = a.get("Network") instanceof Map<?, ?> m ? m : Map.of();
    Map<?, ?> spec = network.get("Spec") instanceof Map<?, ?> m ? m : Map.of();
    List<String> addresses = new ArrayList<>();
    if (a.get("Addresses") instanceof List<?> list) {
      list.forEach(address -> addresses.add(String.valueOf(address)));
    }
    return new PeerRules.Attachment(
        network.get("ID") instanceof String id ? id : "",
        spec.get("Name") instanceof String name ? name : "",
        Boolean.TRUE.equals(spec.get("Ingress")),
        addresses);
  }

  static PeerRules.Node node(SwarmNode n) {
    String hostname =
        n.getDescription() == null || n.getDescription().getHostname() == null
            ? n.getId()
            : n.getDescription().getHostname();
    Role role =
        n.getSpec() == null || n.getSpec().getRole() == null
            ? Role.WORKER
            : Role.valueOf(n.getSpec().getRole().name());
    return new PeerRules.Node(n.getId(), hostname, role);
  }
}
