package io.appmetricsproxy.store;

import io.appmetricsproxy.exposition.Payload;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest good scrape of one container, as kept on disk and served: keyed by node and container.
 */
public record Entry(
    String node,
    String containerId,
    String containerName,
    String name,
    Instant scrapedAt,
    Payload payload) {

  public Entry {
    Objects.requireNonNull(node);
    Objects.requireNonNull(containerId);
    Objects.requireNonNull(containerName);
    Objects.requireNonNull(name);
    Objects.requireNonNull(scrapedAt);
    Objects.requireNonNull(payload);
    if (node.isEmpty() || containerId.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("an entry needs a node, a container id and a name");
    }
  }

  /** Unique across the cluster: two replicas on two nodes never share it. */
  public String key() {
    return node + "/" + containerId;
  }
}
