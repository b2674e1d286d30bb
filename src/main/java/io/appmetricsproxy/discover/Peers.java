package io.appmetricsproxy.discover;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * This node's place in a Swarm and the proxies to replicate with.
 *
 * @param role {@link Role#MANAGER}, {@link Role#WORKER} or {@link Role#STANDALONE}
 * @param nodeId this node's Swarm node id, when it is in a Swarm
 * @param peers the other proxies: tasks of the proxy's own service, then configured peers
 * @param drives whether this node starts the exchanges: a manager, or any node with configured
 *     peers
 * @param problems what kept a peer out or the Swarm from being read, for operators; not fatal
 */
public record Peers(
    Role role, Optional<String> nodeId, List<Peer> peers, boolean drives, List<String> problems) {
  public Peers {
    Objects.requireNonNull(role);
    Objects.requireNonNull(nodeId);
    peers = List.copyOf(peers);
    problems = List.copyOf(problems);
  }
}
