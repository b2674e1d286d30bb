package io.appmetricsproxy.app;

import io.appmetricsproxy.discover.EventWatcher;
import io.appmetricsproxy.lang.Threads;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns container events into work between cycles: a started container is scraped at once (and
 * again shortly while it does not answer yet), a gone one is dropped at once; bursts are batched.
 */
final class Freshness implements EventWatcher.Listener, AutoCloseable {
  private static final Logger logger = Logger.getLogger(Freshness.class.getName());

  /**
   * Waits before each new try of a started container that gave no metrics yet: about 6 s in all.
   */
  static final long[] RETRY_MILLIS = {100, 200, 300, 400, 500, 1000, 1500, 2000};

  private final Cycle cycle;
  private final Map<String, Integer> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(Threads.named("amp-refresh"));

  Freshness(Cycle cycle) {
    this.cycle = cycle;
  }

  @Override
  public void started(String containerId) {
    pending.put(containerId, 0);
    drainSoon(0);
  }

  @Override
  public void gone(String containerId) {
    pending.remove(containerId);
    run(() -> cycle.forget(containerId), 0);
  }

  @Override
  public void reconnected() {
    run(cycle::run, 0);
  }

  private void drainSoon(long millis) {
    if (drainQueued.compareAndSet(false, true)) {
      run(this::drain, millis);
    }
  }

  /** Scrapes every pending container in one pass; those that did not answer wait for a retry. */
  private void drain() throws InterruptedException {
    drainQueued.set(false);
    Map<String, Integer> batch = Map.copyOf(pending);
    if (batch.isEmpty()) {
      return;
    }
    Set<String> again = cycle.refresh(batch.keySet());
    long next = Long.MAX_VALUE;
    for (Map.Entry<String, Integer> e : batch.entrySet()) {
      String id = e.getKey();
      int tries = e.getValue();
      if (!again.contains(id) || tries >= RETRY_MILLIS.length) {
        pending.remove(id, tries);
      } else if (pending.replace(id, tries, tries + 1)) {
        next = Math.min(next, RETRY_MILLIS[tries]);
      }
    }
    if (next != Long.MAX_VALUE) {
      drainSoon(next);
    }
  }

  private interface Work {
    void run() throws InterruptedException;
  }

  private void run(Work work, long delayMillis) {
    try {
      worker.schedule(
          () -> {
            try {
              work.run();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
              logger.log(Level.WARNING, "Refresh after a Docker event failed", e);
            }
          },
          delayMillis,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException ignored) {
      // closed
    }
  }

  @Override
  public void close() {
    Threads.stop(worker, Duration.ofSeconds(10));
  }
}
