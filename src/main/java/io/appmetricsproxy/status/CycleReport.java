package io.appmetricsproxy.status;

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
 *
 * @param lastDiscoveryAt when the engine could not be listed: the time of the last discovery that
 *     succeeded, whose targets were scraped instead; empty when this cycle listed them
 * @param address where Prometheus reaches this node's proxy, as discovery found it
 */
public record CycleReport(
    Instant startedAt,
    Duration duration,
    Optional<String> node,
    Optional<String> engineError,
    List<ScrapeResult> results,
    List<Skipped> skipped,
    List<String> storeErrors,
    Optional<Instant> lastDiscoveryAt,
    Optional<String> address) {

  public CycleReport {
    Objects.requireNonNull(startedAt);
    Objects.requireNonNull(duration);
    Objects.requireNonNull(node);
    Objects.requireNonNull(engineError);
    Objects.requireNonNull(lastDiscoveryAt);
    Objects.requireNonNull(address);
    results = List.copyOf(results);
    skipped = List.copyOf(skipped);
    storeErrors = List.copyOf(storeErrors);
  }

  /** A report of targets this cycle listed itself. */
  public CycleReport(
      Instant startedAt,
      Duration duration,
      Optional<String> node,
      Optional<String> engineError,
      List<ScrapeResult> results,
      List<Skipped> skipped,
      List<String> storeErrors) {
    this(
        startedAt,
        duration,
        node,
        engineError,
        results,
        skipped,
        storeErrors,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * This report after a refresh could not list the engine's containers: its targets are from the
   * discovery at {@code discoveredAt} now.
   */
  public CycleReport withEngineError(String error, Instant discoveredAt) {
    return new CycleReport(
        startedAt,
        duration,
        node,
        Optional.of(error),
        results,
        skipped,
        storeErrors,
        lastDiscoveryAt.or(() -> Optional.of(discoveredAt)),
        address);
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
        startedAt,
        duration,
        node,
        engineError,
        List.copyOf(byId.values()),
        skipped,
        storeErrors,
        lastDiscoveryAt,
        address);
  }

  /** The scrape of container {@code containerName} under {@code name}, if it failed. */
  public Optional<ScrapeResult.Failure> failure(String name, String containerName) {
    for (ScrapeResult r : results) {
      if (r instanceof ScrapeResult.Failure f
          && f.target().name().equals(name)
          && f.target().containerName().equals(containerName)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public long up() {
    return results.stream().filter(ScrapeResult::ok).count();
  }
}
