package io.appmetricsproxy.scrape;

import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Payload;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of scraping one target once: a payload or an error, with when, how long and where.
 */
public sealed interface ScrapeResult permits ScrapeResult.Success, ScrapeResult.Failure {
  Target target();

  Instant startedAt();

  Duration duration();

  /** Whether the target gave valid metrics. */
  boolean ok();

  /** Valid metrics, from {@code port}. */
  record Success(Target target, Instant startedAt, Duration duration, int port, Payload payload)
      implements ScrapeResult {
    public Success {
      Objects.requireNonNull(target);
      Objects.requireNonNull(startedAt);
      Objects.requireNonNull(duration);
      Objects.requireNonNull(payload);
    }

    @Override
    public boolean ok() {
      return true;
    }
  }

  /** No port gave valid metrics; {@code error} says why. */
  record Failure(Target target, Instant startedAt, Duration duration, ScrapeError error)
      implements ScrapeResult {
    public Failure {
      Objects.requireNonNull(target);
      Objects.requireNonNull(startedAt);
      Objects.requireNonNull(duration);
      Objects.requireNonNull(error);
    }

    @Override
    public boolean ok() {
      return false;
    }
  }
}
