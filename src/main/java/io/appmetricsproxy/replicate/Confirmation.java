package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Tells peers, at the end of each cycle, that this node's folder is current ({@code .alive}): its
 * mtime is when the node confirmed it, its content the folder's generation, new whenever the folder
 * changed, so that a peer holding the old one lists the folder again, and the same one confirmed
 * later when nothing changed.
 */
public final class Confirmation {
  private final Store store;

  public Confirmation(Store store) {
    this.store = store;
  }

  /**
   * Ends a cycle of this node (see {@link Store#endCycle}) and confirms its folder as of {@code
   * now}.
   *
   * @throws io.appmetricsproxy.store.StoreException when the folder cannot be written
   */
  public void confirm(String node, Instant now, Duration maxAge) {
    boolean changed = store.endCycle(node, now, maxAge);
    String own = store.ownFolder().orElseThrow();
    Optional<Instant> previous = store.mtime(own, Layout.ALIVE);
    Instant confirmed = now;
    if (previous.isPresent() && changed) {
      // peers compare whole seconds: a changed folder must be confirmed in a later second
      Instant next = previous.get().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      confirmed = next.isAfter(now) ? next : now;
    }
    if (changed || previous.isEmpty()) {
      store.keep(own, Layout.ALIVE, generation(confirmed), Optional.empty(), confirmed);
    } else {
      store.touch(own, Layout.ALIVE, confirmed); // same content, confirmed later
    }
    store.confirmed();
    store.flush(now); // the manifest tells peers the new confirmation
  }

  private static byte[] generation(Instant at) {
    return (at.toEpochMilli() + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
