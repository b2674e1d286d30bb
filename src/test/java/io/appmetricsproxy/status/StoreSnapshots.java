package io.appmetricsproxy.status;

import io.appmetricsproxy.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.WeakHashMap;

/** Snapshots of a store at a chosen time, as {@link Snapshots} makes them in turn. */
public final class StoreSnapshots {
  private static final Map<Store, Snapshot> LAST = new WeakHashMap<>();

  private StoreSnapshots() {}

  public static synchronized Snapshot snapshot(Store store, Instant now, Duration maxAge) {
    Snapshot next =
        Snapshot.of(store.servable(now, maxAge), LAST.getOrDefault(store, Snapshot.empty()));
    LAST.put(store, next);
    return next;
  }
}
