package io.appmetricsproxy.status;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** What the stages write and the web side reads: swapped whole, never changed in place. */
public final class ProxyState {
  /**
   * A consistent view: what is served, the cycle that last produced it, and the last replication
   * round (empty where replication does not run).
   */
  public record View(
      Snapshot snapshot, Optional<CycleReport> lastCycle, Optional<ReplicationReport> replication) {
    public View(Snapshot snapshot, Optional<CycleReport> lastCycle) {
      this(snapshot, lastCycle, Optional.empty());
    }
  }

  private final AtomicReference<View> view;
  private final Snapshots snapshots; // null: what is published only

  /** Serves what is published, starting with {@code initial}. */
  public ProxyState(Snapshot initial) {
    this(initial, null);
  }

  /**
   * Serves what is published, and a snapshot of {@code snapshots} made when a view is read after
   * one was asked for ({@link Snapshots#ask}).
   */
  public ProxyState(Snapshots snapshots) {
    this(snapshots.next(), snapshots);
  }

  private ProxyState(Snapshot initial, Snapshots snapshots) {
    this.view = new AtomicReference<>(new View(initial, Optional.empty(), Optional.empty()));
    this.snapshots = snapshots;
  }

  public void publish(Snapshot snapshot, CycleReport report) {
    view.updateAndGet(
        v -> new View(newer(v.snapshot(), snapshot), Optional.of(report), v.replication()));
  }

  /** Serves a new snapshot between cycles, e.g. when entries arrived from a peer. */
  public void publish(Snapshot snapshot) {
    view.updateAndGet(v -> new View(newer(v.snapshot(), snapshot), v.lastCycle(), v.replication()));
  }

  /**
   * What to serve of the snapshot served and one just made: the newer, since threads that made two
   * may publish them in either order.
   */
  private static Snapshot newer(Snapshot served, Snapshot made) {
    return made.madeBefore(served) ? served : made;
  }

  public void publish(ReplicationReport report) {
    view.updateAndGet(v -> new View(v.snapshot(), v.lastCycle(), Optional.of(report)));
  }

  /**
   * What is served now: the last published view, after a snapshot asked for was made, its snapshot
   * aged to this moment, so that nothing older than MAX_AGE is ever read from it, whenever the next
   * publication comes.
   */
  public View view() {
    if (snapshots != null) {
      snapshots.ifAsked(this::publish);
    }
    View v = view.get();
    Snapshot now = v.snapshot().at(Instant.now());
    return now == v.snapshot() ? v : new View(now, v.lastCycle(), v.replication());
  }

  /**
   * The report of the last cycle published; read without making the snapshot asked for, which only
   * what is served needs (a cycle reads it before making its own).
   */
  public Optional<CycleReport> lastCycle() {
    return view.get().lastCycle();
  }

  /** True once a first cycle has completed, whatever its outcome. */
  public boolean ready() {
    return view.get().lastCycle().isPresent();
  }
}
