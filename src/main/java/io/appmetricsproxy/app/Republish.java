package io.appmetricsproxy.app;

import io.appmetricsproxy.lang.Threads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves what peers copy into this node's store between its cycles, with as few snapshots as that
 * allows (each snapshot reads every entry of the store, 1,000 in a cluster of 200 nodes): one for
 * all the folders that arrive within {@link #DELAY} ({@link #run}), none for confirmations that a
 * snapshot made anyway serves ({@link #later}). What comes with a manifest is served at once, once
 * per exchange.
 */
final class Republish implements Runnable, AutoCloseable {
  static final Duration DELAY = Duration.ofMillis(100);
  private static final Logger logger = Logger.getLogger(Republish.class.getName());

  private final Runnable publish;
  private final LongSupplier made;
  private final Duration latest;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean later = new AtomicBoolean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.named("amp-republish"));

  /**
   * @param publish makes a snapshot and serves it
   * @param made how many snapshots were made so far, by anyone
   * @param latest how long {@link #later} waits for a snapshot before it makes one: the interval of
   *     the node's cycles, each of which makes one
   */
  Republish(Runnable publish, LongSupplier made, Duration latest) {
    this.publish = publish;
    this.made = made;
    this.latest = latest;
  }

  /** Asks for a snapshot within {@link #DELAY}; asking again before it is made adds nothing. */
  @Override
  public void run() {
    if (pending.compareAndSet(false, true)) {
      schedule(this::publish, DELAY);
    }
  }

  /**
   * Asks for a snapshot by {@code latest}, unless one is made meanwhile: the node's next cycle
   * serves what was asked for, and only where cycles stop does this make one. Asking again before
   * then adds nothing.
   */
  void later() {
    if (later.compareAndSet(false, true)) {
      long seen = made.getAsLong();
      schedule(
          () -> {
            later.set(false);
            if (made.getAsLong() == seen) {
              publish();
            }
          },
          latest);
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      pending.set(false); // the proxy is stopping
      later.set(false);
    }
  }

  private void publish() {
    pending.set(false); // what arrives from now on goes into the next snapshot
    try {
      publish.run();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "serving what peers wrote failed", e);
    }
  }

  @Override
  public void close() {
    Threads.stop(timer, Duration.ofSeconds(5));
  }
}
