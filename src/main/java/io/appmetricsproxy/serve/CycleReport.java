package io.appmetricsproxy.serve;

import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.scrape.ScrapeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  public long up() {
    return results.stream().filter(ScrapeResult::ok).count();
  }
}
