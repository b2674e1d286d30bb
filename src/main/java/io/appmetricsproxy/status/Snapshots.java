package io.appmetricsproxy.status;

import io.appmetricsproxy.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Makes each snapshot to serve from what the store may serve now, keeping the last snapshot's merge
 * of every name whose entries did not change. What peers copy in is served by a snapshot made when
 * it is first read ({@link #ask}, {@link #ifAsked}): a snapshot reads every entry of the store
 * (1,000 in a cluster of 200 nodes), and most nodes of a cluster take every change of it while
 * Prometheus reads few of them.
 */
public final class Snapshots {
  private final Store store;
  private final Duration maxAge;
  private final Clock clock;
  private final AtomicLong asked = new AtomicLong();
  private Snapshot last = Snapshot.empty();
  private volatile long answered;
  private volatile long made;

  public Snapshots(Store store, Duration maxAge, Clock clock) {
    this.store = store;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  public synchronized Snapshot next() {
    last = Snapshot.of(store.servable(clock.instant(), maxAge), last);
    made++;
    return last;
  }

  /**
   * What the store serves changed: the next {@link #ifAsked} makes a snapshot. It costs nothing
   * until then; asking again before adds nothing.
   */
  public void ask() {
    asked.incrementAndGet();
  }

  /**
   * Where a snapshot was asked for since the last one this made, makes one and hands it to {@code
   * publish} before any other caller returns: a caller that comes after an {@link #ask} gets what
   * was asked for published, whichever thread made it. One comparison where nothing was asked.
   */
  public void ifAsked(Consumer<Snapshot> publish) {
    if (asked.get() == answered) {
      return;
    }
    synchronized (this) {
      long want = asked.get(); // read before the store is: what is asked later comes next time
      if (want != answered) {
        publish.accept(next());
        answered = want;
      }
    }
  }

  /** How many snapshots were made so far. */
  public long made() {
    return made;
  }
}
