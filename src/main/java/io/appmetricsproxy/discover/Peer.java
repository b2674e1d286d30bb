package io.appmetricsproxy.discover;

import java.util.Objects;

/**
 * Another proxy to exchange store entries with.
 *
 * @param key what its host key is pinned under: the Swarm node id, or host:port for a configured
 *     peer, so that a task that moves to another address keeps its pin
 * @param name shown on the index and in metrics: the node's hostname, or host:port
 * @param host address that reaches its replication port from here
 * @param role "manager" or "worker" in a Swarm, "configured" for REPLICATION_PEERS
 */
public record Peer(String key, String name, String host, int port, Role role) {
  public Peer {
    Objects.requireNonNull(key);
    Objects.requireNonNull(name);
    Objects.requireNonNull(host);
    Objects.requireNonNull(role);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** host:port, with brackets around an IPv6 address. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
