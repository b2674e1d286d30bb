package io.appmetricsproxy.app;

import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.DiscoveryException;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.replicate.Confirmation;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.scrape.Scraper;
import io.appmetricsproxy.status.CycleMetrics;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Snapshot;
import io.appmetricsproxy.status.Snapshots;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Store;
import io.appmetricsproxy.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
  private final Confirmation confirmation;
  private final Snapshots snapshots;
  private final ProxyState state;
  private final CycleMetrics metrics;
  private final Duration maxAge;
  private final Clock clock;
  private final CycleLog log = new CycleLog();
  private final ReentrantLock lock = new ReentrantLock();
  private final Object storing = new Object();
  private Optional<Listed> lastListed = Optional.empty();
  private final HeldBack heldBack;

  public Cycle(
      TargetSource source,
      Scraper scraper,
      Store store,
      Snapshots snapshots,
      ProxyState state,
      CycleMetrics metrics,
      Duration maxAge,
      Duration interval,
      Clock clock) {
    this.source = source;
    this.scraper = scraper;
    this.store = store;
    this.confirmation = new Confirmation(store);
    this.snapshots = snapshots;
    this.state = state;
    this.metrics = metrics;
    this.maxAge = maxAge;
    this.heldBack = new HeldBack(interval);
    this.clock = clock;
  }

  public CycleReport run() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      return runLocked(clock.instant(), System.nanoTime(), discover());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Discovers once and scrapes only the running targets among {@code containerIds}, then publishes;
   * nothing is removed. Returns the ids to try again: those that did not give valid metrics yet, or
   * are held back ({@link HeldBack}). The engine is asked before the lock is taken, so that an
   * engine that hangs holds up no cycle; one that cannot be asked is reported at once; the first
   * that answers again is reconciled in full.
   */
  public Set<String> refresh(Set<String> containerIds) throws InterruptedException {
    Instant startedAt = clock.instant();
    long start = System.nanoTime();
    Listing listing = discover();
    lock.lockInterruptibly();
    try {
      if (listing.discovery().isEmpty()) {
        engineLost(listing.error().orElseThrow());
        return containerIds;
      }
      Discovery discovery = listing.discovery().get();
      if (state.lastCycle().flatMap(CycleReport::engineError).isPresent()) {
        runLocked(startedAt, start, listing);
        return Set.of();
      }
      lastListed = Optional.of(new Listed(discovery, startedAt));
      Map<String, ScrapeResult.Failure> held = heldBack.listed(discovery, clock.instant());
      Set<String> again = ConcurrentHashMap.newKeySet();
      List<Target> wanted = new ArrayList<>();
      for (Target t : discovery.targets()) {
        if (!containerIds.contains(t.containerId())) {
          continue;
        }
        if (held.containsKey(t.containerId())) {
          again.add(t.containerId());
        } else {
          wanted.add(t);
        }
      }
      if (wanted.isEmpty()) {
        return Set.copyOf(again);
      }
      List<ScrapeResult> results =
          scraper.scrapeSome(
              wanted,
              r -> {
                if (!(r instanceof ScrapeResult.Success s) || !put(discovery, s).isEmpty()) {
                  again.add(r.target().containerId());
                }
              });
      publish(results, Set.of());
      return Set.copyOf(again);
    } finally {
      lock.unlock();
    }
  }

  /** The engine's targets now, or why there are none. */
  private Listing discover() {
    long start = System.nanoTime();
    try {
      return new Listing(Optional.of(source.discover()), Optional.empty());
    } catch (DiscoveryException e) {
      return new Listing(Optional.empty(), Optional.of(e.getMessage()));
    } finally {
      metrics.discovered(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** What one look at the engine gave: a discovery, or the error. */
  private record Listing(Optional<Discovery> discovery, Optional<String> error) {}

  /** The last discovery that succeeded, and when it was made. */
  private record Listed(Discovery discovery, Instant at) {}

  /** A refresh could not list containers: the report, the metric and the log say so now. */
  private void engineLost(String error) {
    log.engine(Optional.of(error));
    metrics.engineDown();
    Optional<CycleReport> report = state.lastCycle();
    if (report.isPresent()) {
      Instant discoveredAt = lastListed.map(Listed::at).orElse(report.get().startedAt());
      state.publish(snapshots.next(), report.get().withEngineError(error, discoveredAt));
    }
  }

  /** The new snapshot, with the last cycle's report brought up to date by what events did. */
  private void publish(List<ScrapeResult> fresh, Set<String> gone) {
    Snapshot snapshot = snapshots.next();
    Optional<CycleReport> last = state.lastCycle();
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

  /**
   * Scrapes what {@code listing} found, or, when the engine could not be listed, the targets of the
   * last discovery that succeeded: their containers usually run on while the engine is away.
   */
  private CycleReport runLocked(Instant startedAt, long start, Listing listing)
      throws InterruptedException {
    Optional<Discovery> discovery = listing.discovery();
    Optional<Listed> earlier = discovery.isPresent() ? Optional.empty() : lastListed;
    Map<String, ScrapeResult.Failure> held;
    if (discovery.isPresent()) {
      lastListed = Optional.of(new Listed(discovery.get(), startedAt));
      held = heldBack.listed(discovery.get(), clock.instant());
    } else {
      List<ScrapeResult> last = state.lastCycle().map(CycleReport::results).orElse(List.of());
      held = earlier.isPresent() ? heldBack.away(last, earlier.get().at()) : Map.of();
    }
    Optional<Discovery> scraped = discovery.or(() -> earlier.map(Listed::discovery));
    List<String> storeErrors = new CopyOnWriteArrayList<>();
    List<ScrapeResult> results =
        scraped.isPresent()
            ? withHeld(
                scraper.scrape(
                    scraped.get().targets().stream()
                        .filter(t -> !held.containsKey(t.containerId()))
                        .toList(),
                    r -> {
                      if (r instanceof ScrapeResult.Success s) {
                        put(scraped.get(), s).ifPresent(storeErrors::add);
                      }
                    }),
                scraped.get().targets(),
                held)
            : List.of();
    earlier.ifPresent(e -> heldBack.away(results, e.at()));
    scraped.ifPresent(d -> storeErrors.addAll(settle(d, discovery.isPresent())));
    Snapshot snapshot = snapshots.next();
    CycleReport report =
        new CycleReport(
            startedAt,
            Duration.ofNanos(System.nanoTime() - start),
            scraped.map(Discovery::node),
            listing.error(),
            results,
            scraped.map(Discovery::skipped).orElse(List.of()),
            storeErrors,
            earlier.map(Listed::at),
            scraped.flatMap(Discovery::address));
    state.publish(snapshot, report);
    metrics.record(report, snapshot.size());
    log.record(report);
    return report;
  }

  /** {@code scraped} and the {@code held} failures, in the order of {@code targets}. */
  private static List<ScrapeResult> withHeld(
      List<ScrapeResult> scraped, List<Target> targets, Map<String, ScrapeResult.Failure> held) {
    if (held.isEmpty()) {
      return scraped;
    }
    Map<String, ScrapeResult> byId = new HashMap<>(held);
    scraped.forEach(r -> byId.put(r.target().containerId(), r));
    return targets.stream().map(t -> byId.get(t.containerId())).toList();
  }

  /**
   * Stores a good scrape as soon as it is made, while other scrapes still wait on the network; one
   * at a time. The error, if the store could not keep it.
   */
  private Optional<String> put(Discovery discovery, ScrapeResult.Success result) {
    synchronized (storing) {
      try {
        store.put(entry(discovery, result));
        return Optional.empty();
      } catch (StoreException e) {
        return Optional.of(e.getMessage());
      }
    }
  }

  /**
   * After the scrapes: when {@code listed} now (not an earlier discovery), forgets the containers
   * that are gone; then confirms the node's entries.
   */
  private List<String> settle(Discovery discovery, boolean listed) {
    List<String> errors = new ArrayList<>();
    if (listed) {
      Set<String> present =
          discovery.targets().stream().map(Target::containerId).collect(Collectors.toSet());
      store.retain(discovery.node(), present);
    }
    try {
      confirmation.confirm(discovery.node(), clock.instant(), maxAge);
    } catch (StoreException e) {
      errors.add(e.getMessage());
    }
    return errors;
  }

  private static Entry entry(Discovery d, ScrapeResult.Success r) {
    Target t = r.target();
    return new Entry(
        d.node(),
        t.containerId(),
        t.containerName(),
        t.name(),
        r.startedAt(),
        r.payload(),
        t.shared(),
        t.labels(),
        d.address());
  }
}
