package io.appmetricsproxy.scrape;

import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Payload;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of scraping one target once: a payload or an error, with when, how long and where.
 */
public record ScrapeResult(
    Target target,
    Instant startedAt,
    Duration duration,
    Optional<Integer> port,
    Optional<Payload> payload,
    Optional<ScrapeError> error) {

  public ScrapeResult {
    Objects.requireNonNull(target);
    Objects.requireNonNull(startedAt);
    Objects.requireNonNull(duration);
    Objects.requireNonNull(port);
    Objects.requireNonNull(payload);
    Objects.requireNonNull(error);
    if (payload.isPresent() == error.isPresent()) {
      throw new IllegalArgumentException("a scrape has either a payload or an error");
    }
  }

  static ScrapeResult success(
      Target target, Instant startedAt, Duration duration, int port, Payload payload) {
    return new ScrapeResult(
        target, startedAt, duration, Optional.of(port), Optional.of(payload), Optional.empty());
  }

  static ScrapeResult failure(
      Target target, Instant startedAt, Duration duration, ScrapeError error) {
    return new ScrapeResult(
        target, startedAt, duration, Optional.empty(), Optional.empty(), Optional.of(error));
  }

  public boolean ok() {
    return payload.isPresent();
  }
}
