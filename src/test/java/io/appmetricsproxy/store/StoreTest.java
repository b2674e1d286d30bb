package io.appmetricsproxy.store;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.status.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class StoreTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path dir;

  public static Entry entry(
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
    assertThat(text(snapshot(store, NOW, Duration.ofSeconds(30)).get("web").get().payload()))
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
          .containsExactly("shared/n1/abc.entry");
    }
    assertThat(Files.readString(dir.resolve("shared/n1/abc.entry"))).endsWith("\n\na 2\n");
  }

  @Test
  void entriesOlderThanTheMaximumAgeAreNotServed() {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "old", "old-1", "old", "a 1\n", NOW.minusSeconds(31)));
    store.put(entry("n1", "new", "new-1", "new", "a 1\n", NOW.minusSeconds(29)));
    Snapshot s = snapshot(store, NOW, Duration.ofSeconds(30));
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
  void aMergeIsMadeAgainOnlyWhenAReplicaChanged() {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "a", "web-1", "web", "req 1\n", NOW));
    store.put(entry("n1", "b", "web-2", "web", "req 2\n", NOW));
    Served first = snapshot(store, NOW, MAX_AGE).get("web").get();

    store.put(entry("n1", "a", "web-1", "web", "req 1\n", NOW.plusSeconds(10)));
    store.put(entry("n1", "b", "web-2", "web", "req 2\n", NOW.plusSeconds(10)));
    Served unchanged = snapshot(store, NOW.plusSeconds(10), MAX_AGE).get("web").get();
    assertThat(unchanged.payload()).as("the same merge, not a new one").isSameAs(first.payload());
    assertThat(unchanged.lastModified()).isEqualTo(NOW.plusSeconds(10));

    store.put(entry("n1", "b", "web-2", "web", "req 3\n", NOW.plusSeconds(20)));
    Served changed = snapshot(store, NOW.plusSeconds(20), MAX_AGE).get("web").get();
    assertThat(text(changed.payload())).contains("req{container=\"web-2\"} 3");
    store.put(entry("n1", "c", "web-3", "web", "req 4\n", NOW.plusSeconds(30)));
    assertThat(text(snapshot(store, NOW.plusSeconds(30), MAX_AGE).get("web").get().payload()))
        .as("a new replica")
        .contains("req{container=\"web-3\"} 4");
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

  private static final Duration MAX_AGE = Duration.ofSeconds(30);

  private static byte[] encoded(Entry e) throws IOException {
    return EntryFile.encode(e);
  }

  private Path shared(String relative) {
    return dir.resolve("shared").resolve(relative);
  }

  @Test
  void anUnchangedScrapeRefreshesTheEntryWithoutRewritingItsFile() throws IOException {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "abc", "web-1", "web", "a 1\n", NOW));
    FileTime written = Files.getLastModifiedTime(shared("n1/abc.entry"));
    store.put(entry("n1", "abc", "web-1", "web", "a 1\n", NOW.plusSeconds(25)));
    assertThat(Files.getLastModifiedTime(shared("n1/abc.entry"))).isEqualTo(written);
    assertThat(snapshot(store, NOW.plusSeconds(50), MAX_AGE).get("web")).isPresent();
  }

  @Test
  void aChangeWithinTheSameSecondStillShowsInTheMtime() throws IOException {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "abc", "web-1", "web", "a 1\n", NOW));
    store.put(entry("n1", "abc", "web-1", "web", "a 2\n", NOW.plusMillis(300)));
    assertThat(Files.getLastModifiedTime(shared("n1/abc.entry")).toInstant())
        .isEqualTo(NOW.plusSeconds(1));
  }

  @Test
  void anEntryThatIsNotSharedStaysOutOfTheSharedFolder() {
    Store store = new Store(dir);
    store.open();
    Entry global = entry("n1", "g", "exporter.x", "exporter", "a 1\n", NOW);
    store.put(new Entry("n1", "g", "exporter.x", "exporter", NOW, global.payload(), false));
    assertThat(shared("n1/g.entry")).doesNotExist();
    assertThat(dir.resolve("local/n1/g.entry")).exists();
    store.put(global);
    assertThat(shared("n1/g.entry")).exists();
    assertThat(dir.resolve("local/n1/g.entry")).doesNotExist();
    assertThat(store.entries()).hasSize(1);
  }

  @Test
  void aChangeStaysUnconfirmedUntilTheFolderIsConfirmed() {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", NOW));
    assertThat(store.endCycle("n1", NOW, MAX_AGE)).isTrue();
    // the confirmation failed (a full disk): the next cycle still sees the change
    assertThat(store.endCycle("n1", NOW.plusSeconds(10), MAX_AGE)).isTrue();
    store.confirmed();
    assertThat(store.endCycle("n1", NOW.plusSeconds(20), MAX_AGE)).isFalse();
    store.put(entry("n1", "a", "web-1", "web", "a 2\n", NOW.plusSeconds(25)));
    assertThat(store.endCycle("n1", NOW.plusSeconds(30), MAX_AGE)).isTrue();
  }

  @Test
  void anotherNodesFileGoneIsNoChangeOfThisNodesFolder() throws Exception {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", NOW));
    assertThat(store.endCycle("n1", NOW, MAX_AGE)).isTrue();
    store.confirmed();
    Entry other = entry("n2", "b", "web-2", "web", "b 1\n", NOW);
    store.keep("n2", "b.entry", EntryFile.encode(other), Optional.of(other), NOW);
    store.keep("n2", Layout.ALIVE, "1\n".getBytes(StandardCharsets.UTF_8), Optional.empty(), NOW);
    store.delete("n2", "b.entry");
    assertThat(store.endCycle("n1", NOW.plusSeconds(10), MAX_AGE)).isFalse();
    // nor is a folder forgotten for want of confirmations (this node's entry scraped again, the
    // same)
    store.keep("n2", "b.entry", EntryFile.encode(other), Optional.of(other), NOW);
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", NOW.plus(MAX_AGE)));
    assertThat(store.endCycle("n1", NOW.plusSeconds(10).plus(MAX_AGE), MAX_AGE)).isFalse();
    assertThat(store.entries()).extracting(Entry::node).containsOnly("n1");
    // this node's own entry gone is one
    assertThat(store.forget("a")).isTrue();
    assertThat(store.endCycle("n1", NOW.plusSeconds(20).plus(MAX_AGE), MAX_AGE)).isTrue();
  }

  /**
   * Another node's folder n2 kept here: one entry, its {@code .alive} as confirmed at {@code at}.
   */
  private static void keepFolder(Store store, Instant at) throws IOException {
    Entry other = entry("n2", "b", "web-2", "web", "b 1\n", at);
    store.keep("n2", "b.entry", EntryFile.encode(other), Optional.of(other), at);
    store.keep("n2", Layout.ALIVE, "1\n".getBytes(StandardCharsets.UTF_8), Optional.empty(), at);
  }

  private Instant aliveOnDisk() throws IOException {
    return Files.getLastModifiedTime(dir.resolve("shared/n2/.alive")).toInstant();
  }

  private Optional<Manifest> manifestOnDisk() throws IOException {
    return Manifest.parse(Files.readAllBytes(dir.resolve("shared/" + Layout.MANIFEST)));
  }

  @Test
  void aConfirmationTouchesTheAliveOnlyOnceItIsAMinuteLater() throws IOException {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", NOW));
    store.endCycle("n1", NOW, MAX_AGE);
    keepFolder(store, NOW);
    for (int s = 10; s < 60; s += 10) {
      store.confirmLater("n2", NOW.plusSeconds(s));
      store.flush(NOW.plusSeconds(s));
      assertThat(aliveOnDisk()).as("after %d s", s).isEqualTo(NOW);
      // served, and offered to peers, as confirmed
      assertThat(store.confirmations()).containsEntry("n2", NOW.plusSeconds(s));
      assertThat(store.confirmation("n2").orElseThrow().confirmed())
          .isEqualTo(NOW.plusSeconds(s).getEpochSecond());
      assertThat(manifestOnDisk().orElseThrow().folders().get("n2").confirmed())
          .isEqualTo(NOW.plusSeconds(s).getEpochSecond());
    }
    store.confirmLater("n2", NOW.plus(Store.ALIVE_LAG));
    store.flush(NOW.plus(Store.ALIVE_LAG));
    assertThat(aliveOnDisk()).isEqualTo(NOW.plus(Store.ALIVE_LAG));
  }

  @Test
  void aRestartTakesTheLaterConfirmationsTheManifestHolds() throws IOException {
    confirmedLaterThanItsAlive();
    assertThat(aliveOnDisk()).isEqualTo(NOW);

    Store reopened = new Store(dir);
    reopened.open();
    assertThat(reopened.confirmations()).containsEntry("n2", NOW.plusSeconds(40));
    assertThat(reopened.confirmation("n2").orElseThrow().confirmed())
        .isEqualTo(NOW.plusSeconds(40).getEpochSecond());
    // its entries age from that confirmation, not from the file's mtime
    assertThat(snapshot(reopened, NOW.plusSeconds(55), MAX_AGE).get("web")).isPresent();
  }

  @Test
  void aRestartTakesNoConfirmationOfAnotherGeneration() throws IOException {
    Store store = new Store(dir);
    store.open();
    keepFolder(store, NOW);
    Files.write(
        dir.resolve("shared/" + Layout.MANIFEST),
        new Manifest(
                java.util.Map.of(
                    "n2", new Manifest.Folder(NOW.plusSeconds(40).getEpochSecond(), "other")),
                Manifest.Takes.GZIPPED_FOLDERS)
            .format());

    Store reopened = new Store(dir);
    reopened.open();
    assertThat(reopened.confirmations()).containsEntry("n2", NOW);
    assertThat(reopened.confirmation("n2").orElseThrow().confirmed())
        .isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void aTouchOfAnEarlierConfirmationKeepsTheLaterOne() throws IOException {
    Store store = confirmedLaterThanItsAlive();
    // a peer that stat'ed the .alive (NOW) and holds the same generation confirmed at NOW + 20 s
    store.touch("n2", Layout.ALIVE, NOW.plusSeconds(20));
    assertThat(store.confirmation("n2").orElseThrow().confirmed())
        .isEqualTo(NOW.plusSeconds(40).getEpochSecond());
    assertThat(aliveOnDisk()).isEqualTo(NOW.plusSeconds(40));
  }

  /**
   * A store serving its own entry and n2's folder kept at {@code NOW}, then confirmed 40 s later:
   * less than {@link Store#ALIVE_LAG}, so n2's {@code .alive} still holds {@code NOW}.
   */
  private Store confirmedLaterThanItsAlive() throws IOException {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "a", "web-1", "web", "a 1\n", NOW));
    store.endCycle("n1", NOW, MAX_AGE);
    keepFolder(store, NOW);
    store.confirmLater("n2", NOW.plusSeconds(40));
    store.flush(NOW.plusSeconds(40));
    return store;
  }
}
