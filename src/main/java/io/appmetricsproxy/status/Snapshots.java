package io.appmetricsproxy.status;

import io.appmetricsproxy.store.Store;
import java.time.Clock;
import java.time.Duration;

/**
 * Makes each snapshot to serve from what the store may serve now, keeping the last snapshot's merge
 * of every name whose entries did not change.
 */
public final class Snapshots {
  private final Store store;
  private final Duration maxAge;
  private final Clock clock;
  private Snapshot last = Snapshot.empty();
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

  /** How many snapshots were made so far. */
  public long made() {
    return made;
  }
}
