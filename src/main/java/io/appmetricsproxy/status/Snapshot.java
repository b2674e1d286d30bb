package io.appmetricsproxy.status;

import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Servable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything served at one moment, by name; built once per cycle and then only read. A snapshot
 * that knows its MAX_AGE ages by itself: {@link #at} leaves out what has grown older since.
 */
public final class Snapshot {
  private static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), null);

  private final Map<String, Served> byName;
  private final Map<String, Instant> expired;
  private final Duration maxAge;
  private final Instant expiresAt;
  private volatile Snapshot aged;

  private Snapshot(Map<String, Served> byName, Map<String, Instant> expired, Duration maxAge) {
    this.byName = byName;
    this.expired = expired;
    this.maxAge = maxAge;
    this.expiresAt =
        maxAge == null
            ? Instant.MAX
            : byName.values().stream()
                .map(s -> s.oldest().plus(maxAge))
                .min(Instant::compareTo)
                .orElse(Instant.MAX);
  }

  public static Snapshot empty() {
    return EMPTY;
  }

  /** Groups entries by name; names with several containers get one merged exposition. */
  public static Snapshot of(Collection<Entry> entries) {
    return of(entries, EMPTY, null, Map.of());
  }

  /**
   * As {@link #of(Collection)}, keeping {@code previous}'s merge of each name whose entries did not
   * change; {@link #at} stops serving each entry once it is older than the servable's MAX_AGE.
   */
  public static Snapshot of(Servable servable, Snapshot previous) {
    return of(servable.entries(), previous, servable.maxAge(), servable.expired());
  }

  private static Snapshot of(
      Collection<Entry> entries, Snapshot previous, Duration maxAge, Map<String, Instant> expired) {
    Map<String, List<Entry>> grouped = new TreeMap<>();
    for (Entry e : entries) {
      grouped.computeIfAbsent(e.name(), n -> new ArrayList<>()).add(e);
    }
    Map<String, Served> byName = new TreeMap<>();
    grouped.forEach(
        (name, group) -> byName.put(name, Served.of(name, group, previous.byName.get(name))));
    Map<String, Instant> gone = new TreeMap<>(expired);
    gone.keySet().removeAll(byName.keySet());
    return new Snapshot(
        Collections.unmodifiableMap(byName), Collections.unmodifiableMap(gone), maxAge);
  }

  /**
   * This snapshot as of {@code now}: itself while every entry is within MAX_AGE (one comparison),
   * else without the entries that are older (made once per expiry, not per request).
   */
  public Snapshot at(Instant now) {
    if (now.isBefore(expiresAt)) {
      return this;
    }
    Snapshot a = aged;
    if (a == null || !now.isBefore(a.expiresAt)) {
      a = without(now.minus(maxAge));
      aged = a;
    }
    return a;
  }

  private Snapshot without(Instant oldest) {
    List<Entry> fresh = new ArrayList<>();
    Map<String, Instant> gone = new TreeMap<>(expired);
    for (Served s : byName.values()) {
      s.entries().stream().filter(e -> e.scrapedAt().isAfter(oldest)).forEach(fresh::add);
      gone.put(s.name(), s.lastModified());
    }
    return of(fresh, this, maxAge, gone);
  }

  public Optional<Served> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * When the last good scrape of a name that is no longer served for its age was made; empty for a
   * name served, or never seen.
   */
  public Optional<Instant> expired(String name) {
    return Optional.ofNullable(expired.get(name));
  }

  /** MAX_AGE of this snapshot's entries; empty when they do not age (tests). */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** In name order. */
  public Collection<Served> all() {
    return byName.values();
  }

  public int size() {
    return byName.size();
  }
}
