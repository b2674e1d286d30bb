package io.appmetricsproxy.serve;

import java.util.Optional;

/**
 * Where a Prometheus given {@code /api/sd?scope=swarm} scrapes a container: the proxy of the node
 * that scraped it, at the address that node advertises. An address without a port gets the port on
 * which this request reached the proxy (every node of a stack listens on the same one); a node that
 * advertises none is named by its node name, and this node by the address the client used.
 */
final class SdTarget {
  private SdTarget() {}

  /**
   * @param client the {@code host[:port]} this request reached, or empty when unknown
   */
  static String of(
      Optional<String> address, boolean thisNode, String node, Optional<String> client) {
    if (address.isEmpty() && thisNode && client.isPresent()) {
      return client.get();
    }
    String host = address.orElse(node);
    return hasPort(host)
        ? host
        : client.flatMap(SdTarget::port).map(p -> host + ":" + p).orElse(host);
  }

  private static boolean hasPort(String hostPort) {
    return hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
  }

  private static Optional<String> port(String hostPort) {
    return hasPort(hostPort)
        ? Optional.of(hostPort.substring(hostPort.lastIndexOf(':') + 1))
        : Optional.empty();
  }
}
