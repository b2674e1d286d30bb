package io.appmetricsproxy.status;

import io.appmetricsproxy.store.Entry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parts of one snapshot's names served on their own (the entries of one node, one container),
 * each made at its first request and kept for the snapshot's life; the next snapshot starts from
 * them, as it does from the merges of whole names, so that an unchanged part is not merged again.
 */
final class Selections {
  /** A part of name {@code name}: {@code of} is a node's name, or an entry's key. */
  private record Key(String name, boolean node, String of) {}

  private final Map<Key, Served> made = new ConcurrentHashMap<>();
  private final Map<Key, Served> previous;

  private Selections(Map<Key, Served> previous) {
    this.previous = previous;
  }

  /** Parts of a snapshot that has none before it. */
  static Selections none() {
    return new Selections(Map.of());
  }

  /**
   * Parts to make from {@code last}'s, for the next snapshot's names: those of a node or an entry
   * it still has.
   */
  static Selections after(Selections last, Map<String, Served> byName) {
    Map<Key, Served> kept = new HashMap<>();
    last.previous.forEach((k, s) -> keep(kept, byName, k, s));
    last.made.forEach((k, s) -> keep(kept, byName, k, s));
    return new Selections(kept);
  }

  private static void keep(Map<Key, Served> kept, Map<String, Served> byName, Key k, Served s) {
    Served whole = byName.get(k.name());
    if (whole != null
        && whole.entries().stream().anyMatch(e -> (k.node() ? e.node() : e.key()).equals(k.of()))) {
      kept.put(k, s);
    }
  }

  /** The entries of {@code name} that node {@code node} scraped, served together. */
  Served ofNode(String name, String node, List<Entry> entries) {
    return get(new Key(name, true, node), entries);
  }

  /** The one entry {@code entry} of {@code name}, served alone. */
  Served ofEntry(String name, Entry entry) {
    return get(new Key(name, false, entry.key()), List.of(entry));
  }

  private Served get(Key key, List<Entry> entries) {
    return made.computeIfAbsent(key, k -> Served.of(k.name(), entries, previous.get(k)));
  }
}
