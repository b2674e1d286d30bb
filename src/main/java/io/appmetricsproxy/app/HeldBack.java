package io.appmetricsproxy.app;

import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Targets not scraped because the engine cannot vouch for their address. A container that stops
 * answering while the engine cannot be listed may have stopped, and the engine may hand its address
 * to a new container: scraping the address would serve the new one's metrics under the old one's
 * name. A hung engine's first answers after it resumes still list a container that died meanwhile,
 * at the address it is giving to another. So such a target is held back, with its last failure,
 * while the engine cannot be listed and for one interval after it answers again; a listing that
 * shows it at another address, or not at all, lets it go. Used under the cycle's lock.
 */
final class HeldBack {
  private final Duration interval;
  private final Map<String, ScrapeResult.Failure> held = new HashMap<>();
  private Optional<Instant> until = Optional.empty();

  HeldBack(Duration interval) {
    this.interval = interval;
  }

  /**
   * A cycle without the engine, its containers last listed at {@code listedAt}: every target whose
   * result in {@code last} failed is held (told once why). Called before the cycle's scrapes with
   * the results before it, and after them with its own. Returns all held.
   */
  Map<String, ScrapeResult.Failure> away(List<ScrapeResult> last, Instant listedAt) {
    until = Optional.empty();
    for (ScrapeResult r : last) {
      if (r instanceof ScrapeResult.Failure f) {
        held.computeIfAbsent(f.target().containerId(), id -> told(f, listedAt));
      }
    }
    return Map.copyOf(held);
  }

  /**
   * The engine listed {@code discovery} at {@code at}: the first listing since {@link #away} is the
   * engine answering again. Returns the targets still held: those listed at the address they were
   * held at, until one interval after the engine answered again.
   */
  Map<String, ScrapeResult.Failure> listed(Discovery discovery, Instant at) {
    if (held.isEmpty()) {
      return Map.of();
    }
    if (until.isEmpty()) {
      until = Optional.of(at.plus(interval));
    }
    if (!at.isBefore(until.get())) {
      held.clear();
      until = Optional.empty();
      return Map.of();
    }
    Map<String, Target> now = new HashMap<>();
    discovery.targets().forEach(t -> now.put(t.containerId(), t));
    held.values()
        .removeIf(
            f -> {
              Target t = now.get(f.target().containerId());
              return t == null || !t.host().equals(f.target().host());
            });
    return Map.copyOf(held);
  }

  private ScrapeResult.Failure told(ScrapeResult.Failure f, Instant listedAt) {
    return new ScrapeResult.Failure(
        f.target(),
        f.startedAt(),
        f.duration(),
        new ScrapeError(
            f.error().reason(),
            f.error().message()
                + "; not scraped again until the engine has answered for "
                + interval.toSeconds()
                + " s (it could not be listed after "
                + listedAt
                + ": this container may have stopped meanwhile, and its address gone to another)"));
  }
}
