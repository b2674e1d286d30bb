package io.appmetricsproxy.status;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static io.appmetricsproxy.store.StoreTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published snapshot ages by itself: read later, it serves nothing older than MAX_AGE, whether or
 * not a cycle published a new one meanwhile.
 */
class SnapshotAgeTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(6);

  @TempDir Path dir;

  private Store store() {
    Store store = new Store(dir);
    store.open();
    return store;
  }

  @Test
  void withinMaxAgeTheSnapshotIsServedAsPublished() {
    Store store = store();
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", T));
    Snapshot published = snapshot(store, T, MAX_AGE);
    assertThat(published.at(T.plusSeconds(5))).isSameAs(published);
    assertThat(published.at(T.plus(MAX_AGE).minusMillis(1)).get("web")).isPresent();
  }

  @Test
  void aNameOlderThanMaxAgeIsNoLongerServedAndSaysSince() {
    Store store = store();
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", T));
    store.put(entry("n1", "b", "db-1", "db", "b 1\n", T.plusSeconds(3)));
    Snapshot published = snapshot(store, T.plusSeconds(3), MAX_AGE);

    Snapshot later = published.at(T.plus(MAX_AGE));
    assertThat(later.get("web")).isEmpty();
    assertThat(later.expired("web")).contains(T);
    assertThat(later.get("db")).isPresent();
    assertThat(later.expired("db")).isEmpty();
    assertThat(later.size()).isOne();
    assertThat(published.at(T.plus(MAX_AGE).plusMillis(500))).isSameAs(later);

    Snapshot all = published.at(T.plusSeconds(9));
    assertThat(all.size()).isZero();
    assertThat(all.expired("db")).contains(T.plusSeconds(3));
    assertThat(all.expired("never")).isEmpty();
  }

  @Test
  void aMergedNameKeepsOnlyItsContainersWithinMaxAge() {
    Store store = store();
    store.put(entry("n1", "a", "app-1", "app", "# TYPE x gauge\nx 1\n", T));
    store.put(entry("n1", "b", "app-2", "app", "# TYPE x gauge\nx 2\n", T.plusSeconds(4)));
    Snapshot published = snapshot(store, T.plusSeconds(4), MAX_AGE);
    assertThat(published.get("app").orElseThrow().entries()).hasSize(2);

    Served later = published.at(T.plusSeconds(7)).get("app").orElseThrow();
    assertThat(later.entries()).extracting(Entry::containerName).containsExactly("app-2");
    assertThat(later.oldest()).isEqualTo(T.plusSeconds(4));
  }

  @Test
  void theStoreTellsWhichNamesItLeftOutForTheirAge() {
    Store store = store();
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", T));
    Snapshot snapshot = snapshot(store, T.plusSeconds(10), MAX_AGE);
    assertThat(snapshot.get("web")).isEmpty();
    assertThat(snapshot.expired("web")).contains(T);
    assertThat(snapshot.maxAge()).contains(MAX_AGE);
    assertThat(Snapshot.of(store.entries()).at(T.plusSeconds(3600)).get("web")).isPresent();
  }
}
