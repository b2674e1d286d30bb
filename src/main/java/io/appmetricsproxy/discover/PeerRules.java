package io.appmetricsproxy.discover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which tasks of the proxy's own service are peers and at which address, on plain values: every
 * task but the proxy's own, reached on the first network that the proxy's container is attached to
 * too (never ingress).
 */
final class PeerRules {
  static final String INGRESS = "ingress";

  /** The proxy's own container: its id, Swarm task id, and network id to name. */
  record Self(String containerId, Optional<String> taskId, Map<String, String> networks) {
    Self {
      Objects.requireNonNull(containerId);
      Objects.requireNonNull(taskId);
      networks = Map.copyOf(networks);
    }
  }

  /** One task of the service as a manager lists it. */
  record Task(
      String id,
      String nodeId,
      String state,
      Optional<String> containerId,
      List<Attachment> attachments) {
    Task {
      Objects.requireNonNull(id);
      nodeId = nodeId == null ? "" : nodeId;
      state = state == null ? "" : state;
      Objects.requireNonNull(containerId);
      attachments = List.copyOf(attachments);
    }
  }

  /** A task's addresses on one network, in CIDR notation ("10.0.1.5/24"). */
  record Attachment(String networkId, String networkName, boolean ingress, List<String> addresses) {
    Attachment {
      networkId = networkId == null ? "" : networkId;
      networkName = networkName == null ? "" : networkName;
      addresses = List.copyOf(addresses);
    }
  }

  /** A Swarm node: id, hostname, and "manager" or "worker". */
  record Node(String id, String hostname, Role role) {}

  private final int port;
  private final List<Peer> configured;

  PeerRules(int port, List<Peer> configured) {
    this.port = port;
    this.configured =
        configured.stream()
            .map(p -> new Peer(p.key(), p.name(), p.host(), p.port(), Role.CONFIGURED))
            .toList();
  }

  /** A manager's peers: the other tasks with an address, the configured peers, and why not. */
  Peers manager(Optional<String> nodeId, Self self, List<Task> tasks, List<Node> nodes) {
    Map<String, Node> byId = new LinkedHashMap<>();
    nodes.forEach(n -> byId.put(n.id(), n));
    List<Peer> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Task task : tasks) {
      if (isSelf(task, self)) {
        continue;
      }
      Node node = byId.get(task.nodeId());
      String where = node == null ? "node " + task.nodeId() : node.hostname();
      if (node == null) {
        problems.add("task " + task.id() + " is on " + where + ", which the Swarm does not list");
        continue;
      }
      if (!task.state().equals("running")) {
        problems.add(
            "task " + task.id() + " on " + where + " is " + task.state() + ", not running");
        continue;
      }
      Optional<String> host = address(task, self);
      if (host.isEmpty()) {
        problems.add(
            "task "
                + task.id()
                + " on "
                + where
                + " has no address on a network of the proxy's own container "
                + new TreeSet<>(self.networks().values()));
        continue;
      }
      found.add(new Peer(node.id(), node.hostname(), host.get(), port, node.role()));
    }
    return combine(Role.MANAGER, nodeId, found, problems);
  }

  /** The configured peers after {@code found}, and whether this node drives. */
  Peers combine(Role role, Optional<String> nodeId, List<Peer> found, List<String> problems) {
    List<Peer> all = new ArrayList<>(found);
    for (Peer p : configured) {
      if (all.stream().noneMatch(q -> q.address().equals(p.address()))) {
        all.add(p);
      }
    }
    boolean drives = role == Role.MANAGER || !configured.isEmpty();
    return new Peers(role, nodeId, all, drives, problems);
  }

  /** The proxy's own task, by task id or container id (a task is never left out by node). */
  static boolean isSelf(Task task, Self self) {
    return self.taskId().filter(task.id()::equals).isPresent()
        || task.containerId()
            .filter(id -> !id.isEmpty() && !self.containerId().isEmpty())
            .filter(id -> id.startsWith(self.containerId()) || self.containerId().startsWith(id))
            .isPresent();
  }

  /** The task's first address on a non-ingress network that the proxy is attached to as well. */
  static Optional<String> address(Task task, Self self) {
    for (Attachment a : task.attachments()) {
      boolean shared =
          a.networkId().isEmpty()
              ? self.networks().containsValue(a.networkName())
              : self.networks().containsKey(a.networkId());
      if (a.ingress() || a.networkName().equals(INGRESS) || !shared) {
        continue;
      }
      for (String cidr : a.addresses()) {
        String ip = withoutPrefixLength(cidr);
        if (!ip.isEmpty()) {
          return Optional.of(ip);
        }
      }
    }
    return Optional.empty();
  }

  /** "10.0.1.5/24" to "10.0.1.5"; an address without a prefix length stays as it is. */
  static String withoutPrefixLength(String cidr) {
    if (cidr == null) {
      return "";
    }
    int slash = cidr.indexOf('/');
    return (slash < 0 ? cidr : cidr.substring(0, slash)).strip();
  }
}
