package io.appmetricsproxy.discover;

import java.util.Locale;

/** A node's or a peer's part in replication, named in reports and pages by its label. */
public enum Role {
  /** A Swarm manager: it drives the exchanges with every other node. */
  MANAGER,
  /** A Swarm worker: managers exchange with it. */
  WORKER,
  /** Not in an active Swarm. */
  STANDALONE,
  /** A peer of REPLICATION_PEERS. */
  CONFIGURED,
  /** This node's, when the engine could not say. */
  UNKNOWN;

  /** "manager", "worker", "standalone", "configured" or "unknown". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return label();
  }
}
