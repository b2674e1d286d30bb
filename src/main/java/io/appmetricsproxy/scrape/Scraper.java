package io.appmetricsproxy.scrape;

import io.appmetricsproxy.config.ScrapeSettings;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.lang.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Scrapes all targets of a cycle concurrently, remembering the port that answered, so that later
 * cycles ask it first, and its payload, so that a body that did not change is not checked and
 * compressed again.
 */
public final class Scraper implements AutoCloseable {
  /** The shortest time an idle scrape thread is kept. */
  private static final Duration KEEP = Duration.ofMinutes(1);

  private final HttpFetcher fetcher;
  private final ExecutorService workers;
  private final Map<String, Integer> rememberedPorts = new ConcurrentHashMap<>();
  private final Map<String, Payload> lastPayloads = new ConcurrentHashMap<>();

  /** Its threads outlive the pause between two cycles: a cycle does not start them anew. */
  public Scraper(ScrapeSettings settings) {
    this(new HttpFetcher(settings), settings.concurrency(), keep(settings.interval()));
  }

  Scraper(HttpFetcher fetcher, int concurrency) {
    this(fetcher, concurrency, KEEP);
  }

  private Scraper(HttpFetcher fetcher, int concurrency, Duration keepAlive) {
    this.fetcher = fetcher;
    this.workers = Threads.pool("amp-scrape-", concurrency, keepAlive);
  }

  private static Duration keep(Duration interval) {
    Duration three = interval.multipliedBy(3);
    return three.compareTo(KEEP) > 0 ? three : KEEP;
  }

  /** One result per target, in the targets' order; never throws for a failing target. */
  public List<ScrapeResult> scrape(List<Target> targets) throws InterruptedException {
    return scrape(targets, result -> {});
  }

  /**
   * As {@link #scrape(List)}, and each result is also handed to {@code each} as soon as it is made,
   * on the thread that made it, while other scrapes still wait on the network.
   */
  public List<ScrapeResult> scrape(List<Target> targets, Consumer<ScrapeResult> each)
      throws InterruptedException {
    List<ScrapeResult> results = scrapeSome(targets, each);
    Set<String> current = targets.stream().map(Target::containerId).collect(Collectors.toSet());
    rememberedPorts.keySet().retainAll(current);
    lastPayloads.keySet().retainAll(current);
    return results;
  }

  /**
   * As {@link #scrape(List, Consumer)}, for some targets only: what is remembered of the others is
   * kept.
   */
  public List<ScrapeResult> scrapeSome(List<Target> targets, Consumer<ScrapeResult> each)
      throws InterruptedException {
    List<Future<ScrapeResult>> running = new ArrayList<>(targets.size());
    for (Target target : targets) {
      Optional<Payload> last = Optional.ofNullable(lastPayloads.get(target.containerId()));
      Optional<Integer> answered = answered(target);
      running.add(
          workers.submit(
              () -> {
                ScrapeResult result = fetcher.fetch(target, answered, last);
                each.accept(result);
                return result;
              }));
    }
    List<ScrapeResult> results = new ArrayList<>(targets.size());
    for (Future<ScrapeResult> future : running) {
      try {
        results.add(future.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("a scrape escaped its own error handling", e.getCause());
      }
    }
    for (ScrapeResult result : results) {
      if (result instanceof ScrapeResult.Success s) {
        rememberedPorts.put(s.target().containerId(), s.port());
        lastPayloads.put(s.target().containerId(), s.payload());
      }
    }
    return results;
  }

  /** The port that answered last time, which the next scrape asks first and alone. */
  Optional<Integer> answered(Target target) {
    return Optional.ofNullable(rememberedPorts.get(target.containerId()))
        .filter(target.ports()::contains);
  }

  @Override
  public void close() {
    Threads.stop(workers, Duration.ofSeconds(10));
    fetcher.close();
  }
}
