package io.appmetricsproxy.serve;

import java.util.List;
import java.util.Map;

/**
 * The JSON documents of {@code /api/targets}, {@code /api/peers} and {@code /api/sd}, field for
 * field as README.md documents them; timestamps are ISO-8601 strings, absent values {@code null}.
 */
final class ApiModel {
  /** {@link Target#origin()} of a container scraped by this node. */
  static final String LOCAL = "local";

  /** {@link Target#origin()} of an entry that another node scraped and replicated here. */
  static final String REPLICATED = "replicated";

  private ApiModel() {}

  /** {@code GET /api/targets}. */
  record Targets(
      String node,
      boolean ready,
      Engine engine,
      LastCycle lastCycle,
      int namesServed,
      List<Target> targets,
      List<Skipped> skipped) {}

  /** Whether the last cycle could list the engine's containers, and if not, why. */
  record Engine(boolean reachable, String error) {}

  /** {@code targets} and {@code up} count this node's scrapes in that cycle. */
  record LastCycle(
      String startedAt, double durationSeconds, int targets, int up, List<String> storeErrors) {}

  /**
   * One container: seen by the last cycle, only held in the store, or replicated from a peer;
   * {@code fromDiscoveryAt} is set when the engine could not be listed and it was scraped as the
   * last discovery that succeeded found it; {@code labels} and {@code sdTarget} are what {@code
   * /api/sd?scope=swarm} gives Prometheus for it.
   */
  record Target(
      String name,
      String container,
      String containerId,
      String node,
      String origin,
      String address,
      String path,
      boolean up,
      boolean served,
      String lastScrapeAt,
      Double scrapeDurationSeconds,
      Long sizeBytes,
      Error error,
      String fromDiscoveryAt,
      Map<String, String> labels,
      String sdTarget,
      String format,
      List<String> nativeOnly) {}

  /** {@code reason} is a scrape error reason or {@value TargetsView#NOT_SEEN}. */
  record Error(String reason, String message) {}

  record Skipped(String container, String containerId, String reason) {}

  /** {@code GET /api/peers}: this node's replication and each peer's last exchange. */
  record Peers(
      String node,
      String role,
      boolean drives,
      String problem,
      String hostKey,
      Integer port,
      String lastRound,
      List<Peer> peers) {}

  record Peer(
      String name,
      String address,
      String role,
      boolean up,
      String lastAttempt,
      String lastSuccess,
      double durationSeconds,
      long bytesSent,
      long bytesReceived,
      int entriesSent,
      int entriesReceived,
      int deleted,
      String error) {}

  /** One Prometheus http_sd_configs target group. */
  record SdGroup(List<String> targets, Map<String, String> labels) {}
}
