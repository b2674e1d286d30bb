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
 * Serves the confirmations that peers copy into this node's store between its cycles without a
 * snapshot of their own ({@link #later}): every peer's round brings some, they only make what is
 * served look fresher, and the snapshot the node's next cycle makes serves them. Folders that
 * arrive are served by the next read ({@link io.appmetricsproxy.status.Snapshots#ask}).
 */
final class Republish implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(Republish.class.getName());

  private final Runnable publish;
  private final LongSupplier made;
  private final Duration latest;
  private final AtomicBoolean later = new AtomicBoolean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.named("amp-republish"));

  /**
   * @param publish asks for a snapshot to serve
   * @param made how many snapshots were made so far, by anyone
   * @param latest how long {@link #later} waits for a snapshot before it asks for one: the interval
   *     of the node's cycles, each of which makes one
   */
  Republish(Runnable publish, LongSupplier made, Duration latest) {
    this.publish = publish;
    this.made = made;
    this.latest = latest;
  }

  /**
   * Asks for a snapshot by {@code latest}, unless one is made meanwhile: the node's next cycle
   * serves what was asked for, and only where cycles stop does this ask for one. Asking again
   * before then adds nothing.
   */
  void later() {
    if (later.compareAndSet(false, true)) {
      long seen = made.getAsLong();
      try {
        timer.schedule(
            () -> {
              later.set(false);
              if (made.getAsLong() == seen) {
                publish();
              }
            },
            latest.toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        later.set(false); // the proxy is stopping
      }
    }
  }

  private void publish() {
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
