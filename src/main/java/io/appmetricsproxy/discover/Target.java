package io.appmetricsproxy.discover;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One container to scrape: where it is, which ports to try in order, the name it is served under,
 * and whether its entry may be replicated to the proxies on other nodes.
 *
 * @param shared false for an entry that every node has its own of (a task of a global service) or
 *     that its container asks to keep local; see {@link TargetRules}
 * @param labels where the container runs, for service discovery: {@code service}, {@code stack},
 *     {@code task_slot}, {@code compose_project}, {@code compose_service}, {@code cluster}, as far
 *     as they apply
 */
public record Target(
    String containerId,
    String containerName,
    String name,
    String host,
    List<Integer> ports,
    String path,
    boolean shared,
    Map<String, String> labels) {

  public Target {
    Objects.requireNonNull(containerId);
    Objects.requireNonNull(containerName);
    Objects.requireNonNull(name);
    Objects.requireNonNull(host);
    Objects.requireNonNull(path);
    ports = List.copyOf(ports);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("a target needs at least one port");
    }
  }

  /** A target that may be replicated. */
  public Target(
      String containerId,
      String containerName,
      String name,
      String host,
      List<Integer> ports,
      String path) {
    this(containerId, containerName, name, host, ports, path, true, Map.of());
  }
}
