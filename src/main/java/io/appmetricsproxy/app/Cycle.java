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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * One pass of discover, scrape, store and publish, or a part of one for containers that events
 * named; a failure in any part is recorded, not thrown. Passes never overlap.
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
  private final ReentrantLock lock = new ReentrantLock();

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
    lock.lockInterruptibly();
    try {
      return runLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Discovers once and scrapes only the running targets among {@code containerIds}, then publishes;
   * nothing is removed. Returns the ids to try again: those that did not give valid metrics yet.
   */
  public Set<String> refresh(Set<String> containerIds) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      Discovery discovery;
      try {
        discovery = source.discover();
      } catch (DiscoveryException e) {
        return containerIds;
      }
      List<Target> wanted =
          discovery.targets().stream().filter(t -> containerIds.contains(t.containerId())).toList();
      if (wanted.isEmpty()) {
        return Set.of();
      }
      Set<String> again = new HashSet<>();
      List<ScrapeResult> results = scraper.scrapeSome(wanted);
      for (ScrapeResult r : results) {
        if (r.ok()) {
          try {
            store.put(entry(discovery.node(), r));
          } catch (StoreException e) {
            again.add(r.target().containerId());
          }
        } else {
          again.add(r.target().containerId());
        }
      }
      publish(results, Set.of());
      return again;
    } finally {
      lock.unlock();
    }
  }

  /** The new snapshot, with the last cycle's report brought up to date by what events did. */
  private void publish(List<ScrapeResult> fresh, Set<String> gone) {
    Snapshot snapshot = store.snapshot(clock.instant(), maxAge);
    Optional<CycleReport> last = state.view().lastCycle();
    if (last.isPresent()) {
      state.publish(snapshot, last.get().updatedWith(fresh, gone));
      metrics.recordScrapes(
          fresh,
          last.get().results().stream()
              .filter(r -> gone.contains(r.target().containerId()))
              .toList());
    } else {
      state.publish(snapshot);
      metrics.recordScrapes(fresh, List.of());
    }
  }

  /** Stops serving a container at once (it died or was removed); true if it was served. */
  public boolean forget(String containerId) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      boolean removed = store.forget(containerId);
      publish(List.of(), Set.of(containerId));
      return removed;
    } finally {
      lock.unlock();
    }
  }

  private CycleReport runLocked() throws InterruptedException {
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
        try {
          store.put(entry(discovery.node(), r));
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

  private static Entry entry(String node, ScrapeResult r) {
    Target t = r.target();
    return new Entry(
        node,
        t.containerId(),
        t.containerName(),
        t.name(),
        r.startedAt(),
        r.payload().get(),
        t.shared());
  }
}
