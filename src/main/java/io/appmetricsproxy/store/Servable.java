package io.appmetricsproxy.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The entries that may be served at one moment, and the names left out for their age.
 *
 * @param expired each name left out for its age, with the newest scrape it had
 * @param maxAge how old an entry may grow before it is no longer served
 */
public record Servable(List<Entry> entries, Map<String, Instant> expired, Duration maxAge) {
  public Servable {
    entries = List.copyOf(entries);
    expired = Map.copyOf(expired);
    Objects.requireNonNull(maxAge);
  }
}
