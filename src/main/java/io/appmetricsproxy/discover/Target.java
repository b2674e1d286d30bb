package io.appmetricsproxy.discover;

import java.util.List;
import java.util.Objects;

/**
 * One container to scrape: where it is, which ports to try in order, and the name it is served
 * under.
 */
public record Target(
    String containerId,
    String containerName,
    String name,
    String host,
    List<Integer> ports,
    String path) {

  public Target {
    Objects.requireNonNull(containerId);
    Objects.requireNonNull(containerName);
    Objects.requireNonNull(name);
    Objects.requireNonNull(host);
    Objects.requireNonNull(path);
    ports = List.copyOf(ports);
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("a target needs at least one port");
    }
  }
}
