package io.appmetricsproxy.store;

import io.appmetricsproxy.exposition.Payload;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The latest good scrape of one container, as kept on disk and served: keyed by node and container.
 *
 * @param shared whether the entry goes to other nodes: false for a task of a global service, which
 *     every node scrapes for itself
 * @param labels where the container runs (service, stack, task slot…), for service discovery
 * @param address where Prometheus reaches the proxy of the node that scraped it (host or
 *     host:port); empty where that node has none
 */
public record Entry(
    String node,
    String containerId,
    String containerName,
    String name,
    Instant scrapedAt,
    Payload payload,
    boolean shared,
    Map<String, String> labels,
    Optional<String> address) {

  public Entry {
    Objects.requireNonNull(node);
    Objects.requireNonNull(containerId);
    Objects.requireNonNull(containerName);
    Objects.requireNonNull(name);
    Objects.requireNonNull(scrapedAt);
    Objects.requireNonNull(payload);
    labels = Labels.of(labels);
    Objects.requireNonNull(address);
    if (node.isEmpty() || containerId.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("an entry needs a node, a container id and a name");
    }
  }

  /** An entry without labels or address. */
  public Entry(
      String node,
      String containerId,
      String containerName,
      String name,
      Instant scrapedAt,
      Payload payload,
      boolean shared) {
    this(
        node,
        containerId,
        containerName,
        name,
        scrapedAt,
        payload,
        shared,
        Map.of(),
        Optional.empty());
  }

  /** A shared entry. */
  public Entry(
      String node,
      String containerId,
      String containerName,
      String name,
      Instant scrapedAt,
      Payload payload) {
    this(node, containerId, containerName, name, scrapedAt, payload, true);
  }

  public Entry withScrapedAt(Instant at) {
    return new Entry(node, containerId, containerName, name, at, payload, shared, labels, address);
  }

  /** The same container, name and payload: a new scrape that changed nothing worth moving. */
  public boolean sameContent(Entry other) {
    // labels: the same object where one entry was made from the other, so equals ends at once
    return this == other
        || shared == other.shared
            && node.equals(other.node)
            && containerId.equals(other.containerId)
            && containerName.equals(other.containerName)
            && name.equals(other.name)
            && labels.equals(other.labels)
            && address.equals(other.address)
            && (payload == other.payload || payload.equals(other.payload));
  }

  /** Unique across the cluster: two replicas on two nodes never share it. */
  public String key() {
    return Layout.key(node, containerId);
  }

  /**
   * Sorted by name and never changed once made; an entry made from another's labels ({@link
   * #withScrapedAt}, at every snapshot for every entry of another node) keeps the same object.
   */
  private static final class Labels extends AbstractMap<String, String> {
    private static final Labels NONE = new Labels(new TreeMap<>());
    private final Map<String, String> sorted;

    private Labels(TreeMap<String, String> sorted) {
      this.sorted = Collections.unmodifiableMap(sorted);
    }

    static Map<String, String> of(Map<String, String> labels) {
      if (labels instanceof Labels kept) {
        return kept;
      }
      return labels.isEmpty() ? NONE : new Labels(new TreeMap<>(labels));
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      return sorted.entrySet();
    }

    @Override
    public String get(Object key) {
      return sorted.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return sorted.containsKey(key);
    }

    @Override
    public int size() {
      return sorted.size();
    }
  }
}
