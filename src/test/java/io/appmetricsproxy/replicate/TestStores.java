package io.appmetricsproxy.replicate;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Stores of the replication tests, as a node's cycle leaves them. */
final class TestStores {
  private TestStores() {}

  /**
   * The store of node {@code name} in {@code folder} after one cycle at {@code at}: one shared
   * entry {@code hits{id="<id>"} 1} of name "app" per id, its folder confirmed.
   */
  static Store afterCycle(Path folder, String name, Instant at, Duration maxAge, String... ids) {
    Store s = new Store(folder);
    s.open();
    for (String id : ids) {
      s.put(entry(name, id, at));
    }
    s.retain(name, Set.of(ids));
    new Confirmation(s).confirm(name, at, maxAge);
    return s;
  }

  /** Node {@code name}'s entry of container {@code id} (service "app"), scraped at {@code at}. */
  static Entry entry(String name, String id, Instant at) {
    return new Entry(
        name,
        id,
        "app." + id,
        "app",
        at,
        Payload.of(("hits{id=\"" + id + "\"} 1\n").getBytes(StandardCharsets.UTF_8), Format.TEXT));
  }
}
