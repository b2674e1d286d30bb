package io.appmetricsproxy.serve;

import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.scrape.ScrapeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the last cycle did: the engine's answer (or why there was none), every target's scrape, and
 * the containers left out.
 */
public record CycleReport(
    Instant startedAt,
    Duration duration,
    Optional<String> node,
    Optional<String> engineError,
    List<ScrapeResult> results,
    List<Skipped> skipped,
    List<String> storeErrors) {

  public CycleReport {
    Objects.requireNonNull(startedAt);
    Objects.requireNonNull(duration);
    Objects.requireNonNull(node);
    Objects.requireNonNull(engineError);
    results = List.copyOf(results);
    skipped = List.copyOf(skipped);
    storeErrors = List.copyOf(storeErrors);
  }

  /**
   * This report with the scrapes that events triggered since: each replaces the result of its
   * container, or is added; {@code gone} containers are taken out.
   */
  public CycleReport updatedWith(List<ScrapeResult> fresh, Set<String> gone) {
    Map<String, ScrapeResult> byId = new LinkedHashMap<>();
    results.forEach(r -> byId.put(r.target().containerId(), r));
    fresh.forEach(r -> byId.put(r.target().containerId(), r));
    gone.forEach(byId::remove);
    return new CycleReport(
        startedAt, duration, node, engineError, List.copyOf(byId.values()), skipped, storeErrors);
  }

  public long up() {
    return results.stream().filter(ScrapeResult::ok).count();
  }
}
