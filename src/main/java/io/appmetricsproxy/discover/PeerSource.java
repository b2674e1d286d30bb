package io.appmetricsproxy.discover;

/** Where the peers to replicate with come from; the Docker engine's Swarm state in production. */
public interface PeerSource {
  /**
   * Reads this node's Swarm role and peers now.
   *
   * @throws DiscoveryException when the engine cannot be asked; the caller keeps what it had
   */
  Peers discover();
}
