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
  private static final Snapshot EMPTY =
      new Snapshot(0, Map.of(), Map.of(), null, Selections.none());

  /**
   * Its place in the chain of snapshots each made from the last ({@link #of(Servable, Snapshot)}):
   * one more than the one it was made from; an aged one keeps its origin's.
   */
  private final long serial;

  private final Map<String, Served> byName;
  private final Map<String, Instant> expired;
  private final Duration maxAge;
  private final Instant expiresAt;
  private final Selections selections;
  private volatile Snapshot aged;

  private Snapshot(
      long serial,
      Map<String, Served> byName,
      Map<String, Instant> expired,
      Duration maxAge,
      Selections selections) {
    this.serial = serial;
    this.byName = byName;
    this.expired = expired;
    this.maxAge = maxAge;
    this.selections = selections;
    Instant first = Instant.MAX;
    if (maxAge != null) {
      for (Served s : byName.values()) {
        Instant expires = s.oldest().plus(maxAge);
        first = expires.isBefore(first) ? expires : first;
      }
    }
    this.expiresAt = first;
  }

  public static Snapshot empty() {
    return EMPTY;
  }

  /** Groups entries by name; names with several containers get one merged exposition. */
  public static Snapshot of(Collection<Entry> entries) {
    return of(entries, EMPTY, null, Map.of(), EMPTY.serial + 1);
  }

  /**
   * As {@link #of(Collection)}, keeping {@code previous}'s merge of each name whose entries did not
   * change; {@link #at} stops serving each entry once it is older than the servable's MAX_AGE.
   */
  public static Snapshot of(Servable servable, Snapshot previous) {
    return of(
        servable.entries(), previous, servable.maxAge(), servable.expired(), previous.serial + 1);
  }

  private static Snapshot of(
      Collection<Entry> entries,
      Snapshot previous,
      Duration maxAge,
      Map<String, Instant> expired,
      long serial) {
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
        serial,
        Collections.unmodifiableMap(byName),
        Collections.unmodifiableMap(gone),
        maxAge,
        Selections.after(previous.selections, byName));
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
    return of(fresh, this, maxAge, gone, serial); // the same snapshot, aged
  }

  /**
   * Whether this snapshot was made before {@code other} from the same store: threads that make
   * snapshots at once (a cycle, an exchange, an upload) may publish them out of order, and an older
   * one must not replace what a newer one serves.
   */
  public boolean madeBefore(Snapshot other) {
    return serial < other.serial;
  }

  public Optional<Served> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The entries of {@code name} that node {@code node} scraped, served as the name is (one as it
   * came, several merged); all of them when {@code node} is empty (without its name this node
   * counts every entry as its own). Empty when the name is not served or has none from the node. A
   * part is merged once per snapshot, and not again in the next one while it does not change.
   */
  public Optional<Served> ofNode(String name, Optional<String> node) {
    Served whole = byName.get(name);
    if (whole == null || node.isEmpty()) {
      return Optional.ofNullable(whole);
    }
    List<Entry> part = whole.entries().stream().filter(e -> e.node().equals(node.get())).toList();
    if (part.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        part.size() == whole.entries().size() ? whole : selections.ofNode(name, node.get(), part));
  }

  /**
   * The entry of container {@code containerName} among {@code name}'s, served alone as a name of
   * one container is: the one node {@code node} scraped where there is one (with {@code nodeOnly},
   * only that), else the newest. Empty where there is none.
   */
  public Optional<Served> ofContainer(
      String name, String containerName, Optional<String> node, boolean nodeOnly) {
    Served whole = byName.get(name);
    if (whole == null) {
      return Optional.empty();
    }
    Entry chosen = null;
    for (Entry e : whole.entries()) {
      if (!e.containerName().equals(containerName)) {
        continue;
      }
      boolean own = node.isEmpty() || e.node().equals(node.get());
      if (own) {
        chosen = e;
        break;
      }
      if (!nodeOnly && (chosen == null || e.scrapedAt().isAfter(chosen.scrapedAt()))) {
        chosen = e;
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    return Optional.of(whole.entries().size() == 1 ? whole : selections.ofEntry(name, chosen));
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
