package io.appmetricsproxy.app;

import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.DiscoveryException;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.scrape.Scraper;
import io.appmetricsproxy.serve.CycleReport;
import io.appmetricsproxy.serve.ProxyState;
import io.appmetricsproxy.serve.SelfMetrics;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Snapshot;
import io.appmetricsproxy.store.Store;
import io.appmetricsproxy.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass of discover, scrape, store and publish; a failure in any part is recorded, not thrown.
 */
public final class Cycle {
  private final TargetSource source;
  private final Scraper scraper;
  private final Store store;
  private final ProxyState state;
  private final SelfMetrics metrics;
  private final Duration maxAge;
  private final Clock clock;
  private final CycleLog log = new CycleLog();

  public Cycle(
      TargetSource source,
      Scraper scraper,
      Store store,
      ProxyState state,
      SelfMetrics metrics,
      Duration maxAge,
      Clock clock) {
    this.source = source;
    this.scraper = scraper;
    this.store = store;
    this.state = state;
    this.metrics = metrics;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  public CycleReport run() throws InterruptedException {
    Instant startedAt = clock.instant();
    long start = System.nanoTime();
    Optional<Discovery> discovery;
    Optional<String> engineError = Optional.empty();
    try {
      discovery = Optional.of(source.discover());
    } catch (DiscoveryException e) {
      discovery = Optional.empty();
      engineError = Optional.of(e.getMessage());
    }
    List<ScrapeResult> results =
        discovery.isPresent() ? scraper.scrape(discovery.get().targets()) : List.of();
    List<String> storeErrors = discovery.map(d -> keep(d, results)).orElse(List.of());
    Snapshot snapshot = store.snapshot(clock.instant(), maxAge);
    CycleReport report =
        new CycleReport(
            startedAt,
            Duration.ofNanos(System.nanoTime() - start),
            discovery.map(Discovery::node),
            engineError,
            results,
            discovery.map(Discovery::skipped).orElse(List.of()),
            storeErrors);
    state.publish(snapshot, report);
    metrics.record(report, snapshot.size());
    log.record(report);
    return report;
  }

  /** Stores every good scrape and forgets the containers that are gone. */
  private List<String> keep(Discovery discovery, List<ScrapeResult> results) {
    List<String> errors = new ArrayList<>();
    for (ScrapeResult r : results) {
      if (r.ok()) {
        Target t = r.target();
        try {
          store.put(
              new Entry(
                  discovery.node(),
                  t.containerId(),
                  t.containerName(),
                  t.name(),
                  r.startedAt(),
                  r.payload().get(),
                  t.shared()));
        } catch (StoreException e) {
          errors.add(e.getMessage());
        }
      }
    }
    Set<String> present =
        discovery.targets().stream().map(Target::containerId).collect(Collectors.toSet());
    store.retain(discovery.node(), present);
    try {
      store.confirm(discovery.node(), clock.instant(), maxAge);
    } catch (StoreException e) {
      errors.add(e.getMessage());
    }
    return errors;
  }
}
