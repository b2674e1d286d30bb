package io.appmetricsproxy.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Everything served at one moment, by name; built once per cycle and then only read. */
public final class Snapshot {
  private static final Snapshot EMPTY = new Snapshot(Map.of());

  private final Map<String, Served> byName;

  private Snapshot(Map<String, Served> byName) {
    this.byName = byName;
  }

  public static Snapshot empty() {
    return EMPTY;
  }

  /** Groups entries by name; names with several containers get one merged exposition. */
  public static Snapshot of(Collection<Entry> entries) {
    return of(entries, EMPTY);
  }

  /**
   * As {@link #of(Collection)}, keeping {@code previous}'s merge of each name whose entries did not
   * change.
   */
  static Snapshot of(Collection<Entry> entries, Snapshot previous) {
    Map<String, List<Entry>> grouped = new TreeMap<>();
    for (Entry e : entries) {
      grouped.computeIfAbsent(e.name(), n -> new ArrayList<>()).add(e);
    }
    Map<String, Served> byName = new TreeMap<>();
    grouped.forEach(
        (name, group) -> byName.put(name, Served.of(name, group, previous.byName.get(name))));
    return new Snapshot(Collections.unmodifiableMap(byName));
  }

  public Optional<Served> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** In name order. */
  public Collection<Served> all() {
    return byName.values();
  }

  public int size() {
    return byName.size();
  }
}
