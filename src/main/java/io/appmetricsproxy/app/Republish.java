package io.appmetricsproxy.app;

import io.appmetricsproxy.lang.Threads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves what peers copy into this node's store file by file: one new snapshot for all the folders
 * that arrive within {@link #DELAY}, not one per folder (each snapshot reads every entry of the
 * store, 1,000 in a cluster of 200 nodes). What comes with a manifest is served at once, once per
 * exchange.
 */
final class Republish implements Runnable, AutoCloseable {
  static final Duration DELAY = Duration.ofMillis(100);
  private static final Logger logger = Logger.getLogger(Republish.class.getName());

  private final Runnable publish;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.named("amp-republish"));

  Republish(Runnable publish) {
    this.publish = publish;
  }

  /** Asks for a snapshot within {@link #DELAY}; asking again before it is made adds nothing. */
  @Override
  public void run() {
    if (pending.compareAndSet(false, true)) {
      try {
        timer.schedule(this::publish, DELAY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        pending.set(false); // the proxy is stopping
      }
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
