package io.appmetricsproxy.discover;

import java.util.Map;
import java.util.Objects;

/**
 * The part of a running container that decides whether and how it is scraped, free of docker-java
 * types so that the rules are tested on plain values.
 *
 * @param networks network name to this container's address and gateway there, in the engine's order
 */
record ContainerInfo(
    String id,
    String name,
    Map<String, String> labels,
    String networkMode,
    Map<String, Endpoint> networks) {

  /** A container's place on one network. */
  record Endpoint(String ip, String gateway) {}

  ContainerInfo {
    Objects.requireNonNull(id);
    Objects.requireNonNull(name);
    labels = Map.copyOf(labels);
    networkMode = networkMode == null ? "" : networkMode;
    networks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks));
  }

  boolean onHostNetwork() {
    return networkMode.equals("host");
  }
}
