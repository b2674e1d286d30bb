package io.appmetricsproxy.discover;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one look at the engine found: the targets to scrape and the containers left out, with why.
 *
 * @param address where Prometheus reaches this node's proxy (host, or host:port):
 *     ADVERTISE_ADDRESS, else the node's Swarm address; empty outside a Swarm
 */
public record Discovery(
    String node, Optional<String> address, List<Target> targets, List<Skipped> skipped) {
  public Discovery {
    Objects.requireNonNull(address);
    targets = List.copyOf(targets);
    skipped = List.copyOf(skipped);
  }

  /** This discovery of a node at {@code address}. */
  public Discovery at(Optional<String> address) {
    return new Discovery(node, address, targets, skipped);
  }

  /** A discovery of a node without an address. */
  public Discovery(String node, List<Target> targets, List<Skipped> skipped) {
    this(node, Optional.empty(), targets, skipped);
  }
}
