package io.appmetricsproxy.serve;

import java.util.List;
import java.util.Map;

/**
 * The JSON documents of {@code /api/targets} and {@code /api/sd}, field for field as README.md
 * documents them; timestamps are ISO-8601 strings, absent values {@code null}.
 */
final class ApiModel {
  private ApiModel() {}

  /** {@code GET /api/targets}. */
  record Targets(
      String node,
      boolean ready,
      Engine engine,
      LastCycle lastCycle,
      List<Target> targets,
      List<Skipped> skipped) {}

  /** Whether the last cycle could list the engine's containers, and if not, why. */
  record Engine(boolean reachable, String error) {}

  record LastCycle(String startedAt, double durationSeconds) {}

  /** One container: seen by the last cycle, or only held in the store. */
  record Target(
      String name,
      String container,
      String containerId,
      String node,
      String address,
      String path,
      boolean up,
      boolean served,
      String lastScrapeAt,
      Double scrapeDurationSeconds,
      Long sizeBytes,
      Error error) {}

  /** {@code reason} is a scrape error reason or {@value TargetsView#NOT_SEEN}. */
  record Error(String reason, String message) {}

  record Skipped(String container, String containerId, String reason) {}

  /** One Prometheus http_sd_configs target group. */
  record SdGroup(List<String> targets, Map<String, String> labels) {}
}
