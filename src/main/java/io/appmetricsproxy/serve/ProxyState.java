package io.appmetricsproxy.serve;

import io.appmetricsproxy.store.Snapshot;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The one thing the cycle writes and the web side reads: swapped whole, never changed in place. */
public final class ProxyState {
  /** A consistent pair: what is served and the cycle that produced it. */
  public record View(Snapshot snapshot, Optional<CycleReport> lastCycle) {}

  private final AtomicReference<View> view;

  public ProxyState(Snapshot initial) {
    this.view = new AtomicReference<>(new View(initial, Optional.empty()));
  }

  public void publish(Snapshot snapshot, CycleReport report) {
    view.set(new View(snapshot, Optional.of(report)));
  }

  public View view() {
    return view.get();
  }

  /** True once a first cycle has completed, whatever its outcome. */
  public boolean ready() {
    return view.get().lastCycle().isPresent();
  }
}
