package io.appmetricsproxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path dir;

  static Entry entry(
      String node, String id, String container, String name, String body, Instant at) {
    return new Entry(
        node,
        id,
        container,
        name,
        at,
        Payload.of(body.getBytes(StandardCharsets.UTF_8), Format.TEXT));
  }

  private static String text(Payload p) {
    return new String(p.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void aStoredEntryIsServedAsScrapedAndSurvivesARestart() {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "abc", "web-1", "web", "a 1\n", NOW));
    assertThat(text(store.snapshot(NOW, Duration.ofSeconds(30)).get("web").get().payload()))
        .isEqualTo("a 1\n");

    Store reopened = new Store(dir);
    reopened.open();
    assertThat(reopened.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("n1/abc");
              assertThat(e.scrapedAt()).isEqualTo(NOW);
              assertThat(e.containerName()).isEqualTo("web-1");
            });
  }

  @Test
  void filesAreReplacedWholeAndNoTempFileIsLeft() throws IOException {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "abc", "web-1", "web", "a 1\n", NOW));
    store.put(entry("n1", "abc", "web-1", "web", "a 2\n", NOW.plusSeconds(10)));
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()))
          .containsExactly("n1/abc.entry");
    }
    assertThat(Files.readString(dir.resolve("n1/abc.entry"))).endsWith("\n\na 2\n");
  }

  @Test
  void entriesOlderThanTheMaximumAgeAreNotServed() {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "old", "old-1", "old", "a 1\n", NOW.minusSeconds(31)));
    store.put(entry("n1", "new", "new-1", "new", "a 1\n", NOW.minusSeconds(29)));
    Snapshot s = store.snapshot(NOW, Duration.ofSeconds(30));
    assertThat(s.get("old")).isEmpty();
    assertThat(s.get("new")).isPresent();
  }

  @Test
  void goneContainersAreDroppedFromMemoryAndDisk() {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "keep", "k", "k", "a 1\n", NOW));
    store.put(entry("n1", "gone", "g", "g", "a 1\n", NOW));
    store.put(entry("n2", "other", "o", "o", "a 1\n", NOW));
    store.retain("n1", Set.of("keep"));
    assertThat(store.entries())
        .extracting(Entry::key)
        .containsExactlyInAnyOrder("n1/keep", "n2/other");
    assertThat(dir.resolve("n1/gone.entry")).doesNotExist();
  }

  @Test
  void aDamagedFileIsSkippedAtStart() throws IOException {
    Files.createDirectories(dir.resolve("n1"));
    Files.writeString(dir.resolve("n1/bad.entry"), "garbage");
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "good", "g", "g", "a 1\n", NOW));
    Store reopened = new Store(dir);
    reopened.open();
    assertThat(reopened.entries()).extracting(Entry::containerId).containsExactly("good");
  }

  @Test
  void replicasOfOneNameAreMergedWithAContainerLabel() {
    Snapshot s =
        Snapshot.of(
            java.util.List.of(
                entry("n1", "b", "web-2", "web", "# TYPE req counter\nreq 2\n", NOW),
                entry("n1", "a", "web-1", "web", "# TYPE req counter\nreq 1\n", NOW)));
    Served web = s.get("web").get();
    assertThat(web.entries()).extracting(Entry::containerName).containsExactly("web-1", "web-2");
    assertThat(text(web.payload()))
        .isEqualTo("# TYPE req counter\nreq{container=\"web-1\"} 1\nreq{container=\"web-2\"} 2\n");
  }

  @Test
  void aNodeLabelIsAddedOnlyWhenReplicasComeFromSeveralNodes() {
    Snapshot s =
        Snapshot.of(
            java.util.List.of(
                entry("n1", "a", "web-1", "web", "req 1\n", NOW),
                entry("n2", "b", "web-2", "web", "req{container=\"app\"} 2\n", NOW)));
    assertThat(text(s.get("web").get().payload()))
        .contains(
            "req{container=\"web-1\",node=\"n1\"} 1",
            "req{container=\"app\",proxy_container=\"web-2\",node=\"n2\"} 2");
  }
}
