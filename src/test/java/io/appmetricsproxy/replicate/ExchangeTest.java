package io.appmetricsproxy.replicate;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exchange between real stores on disk, each side seen through {@link LocalStore}. */
class ExchangeTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Exchange exchange = new Exchange(1 << 20);

  private Store store(String node) {
    Store s = new Store(dir.resolve(node));
    s.open();
    return s;
  }

  private static void cycle(Store s, String node, Instant at, Entry... entries) {
    for (Entry e : entries) {
      s.put(e.withScrapedAt(at));
    }
    s.retain(
        node,
        Set.of(java.util.Arrays.stream(entries).map(Entry::containerId).toArray(String[]::new)));
    new Confirmation(s).confirm(node, at, MAX_AGE);
  }

  private static Entry entry(String node, String id, String name, String body, boolean shared) {
    return new Entry(
        node,
        id,
        name + "." + id,
        name,
        T0,
        Payload.of(body.getBytes(StandardCharsets.UTF_8), Format.TEXT),
        shared);
  }

  private static Entry entry(String node, String id, String name, String body) {
    return entry(node, id, name, body, true);
  }

  private static String served(Store s, String name, Instant now) {
    return snapshot(s, now, MAX_AGE)
        .get(name)
        .map(Served::payload)
        .map(p -> new String(p.toByteArray(), StandardCharsets.UTF_8))
        .orElse("");
  }

  private Exchange.Moved exchange(Store a, Store b) {
    return exchange.run(new LocalStore(a), new LocalStore(b));
  }

  @Test
  void twoNodesConvergeAndServeBothReplicasMerged() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0, entry("n2", "b1", "web", "hits 2\n"));

    Exchange.Moved moved = exchange(n1, n2);

    assertThat(moved.sent()).isEqualTo(1);
    assertThat(moved.received()).isEqualTo(1);
    assertThat(moved.errors()).isEmpty();
    for (Store s : new Store[] {n1, n2}) {
      assertThat(served(s, "web", T0.plusSeconds(1)))
          .contains("hits{container=\"web.a1\",node=\"n1\"} 1")
          .contains("hits{container=\"web.b1\",node=\"n2\"} 2");
    }
  }

  @Test
  void anUnchangedCycleMovesNoPayloadAndAChangeMovesOnlyThatEntry() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n2, "n2", T0);
    Entry a = entry("n1", "a1", "web", "hits 1\n");
    Entry b = entry("n1", "a2", "api", "hits 1\n");
    cycle(n1, "n1", T0, a, b);
    exchange(n1, n2);

    cycle(n1, "n1", T0.plusSeconds(10), a, b);
    Exchange.Moved unchanged = exchange(n1, n2);
    assertThat(unchanged.bytes()).isZero();
    assertThat(unchanged.sent()).isZero();
    assertThat(served(n2, "web", T0.plusSeconds(35))).contains("hits 1");

    cycle(n1, "n1", T0.plusSeconds(20), entry("n1", "a1", "web", "hits 2\n"), b);
    Exchange.Moved changed = exchange(n1, n2);
    assertThat(changed.sent()).isEqualTo(1);
    assertThat(served(n2, "web", T0.plusSeconds(21))).contains("hits 2");
  }

  @Test
  void aGoneContainerDisappearsFromThePeer() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n2, "n2", T0);
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"), entry("n1", "a2", "api", "x 1\n"));
    exchange(n1, n2);
    assertThat(served(n2, "api", T0)).contains("x 1");

    cycle(n1, "n1", T0.plusSeconds(10), entry("n1", "a1", "web", "hits 1\n"));
    RecordingStore peer = new RecordingStore(new LocalStore(n2), true);
    peer.plain = true; // file by file: the deletion is counted here
    Exchange.Moved moved = exchange.run(new LocalStore(n1), peer);

    assertThat(moved.deleted()).isEqualTo(1);
    assertThat(served(n2, "api", T0.plusSeconds(10))).isEmpty();
    assertThat(dir.resolve("n2/shared/n1/a2.entry")).doesNotExist();

    // in the upload of the manifest, the peer removes it itself
    cycle(n1, "n1", T0.plusSeconds(20));
    exchange(n1, n2);
    assertThat(served(n2, "web", T0.plusSeconds(20))).isEmpty();
    assertThat(dir.resolve("n2/shared/n1/a2.entry")).doesNotExist();
  }

  @Test
  void aManagerRelaysOneWorkersEntriesAndTheirRemovalToAnother() {
    Store manager = store("m");
    Store w1 = store("w1");
    Store w2 = store("w2");
    cycle(manager, "m", T0);
    cycle(w2, "w2", T0);
    cycle(w1, "w1", T0, entry("w1", "c1", "shop", "orders 7\n"));
    exchange(manager, w1);
    exchange(manager, w2);
    assertThat(served(w2, "shop", T0)).isEqualTo("orders 7\n");

    cycle(w1, "w1", T0.plusSeconds(10));
    exchange(manager, w1);
    exchange(manager, w2);
    assertThat(served(manager, "shop", T0.plusSeconds(10))).isEmpty();
    assertThat(served(w2, "shop", T0.plusSeconds(10))).isEmpty();
  }

  @Test
  void aGlobalServiceEntryStaysOnItsNode() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "g1", "node-exporter", "up 1\n", false));
    cycle(n2, "n2", T0, entry("n2", "g2", "node-exporter", "up 2\n", false));
    Exchange.Moved moved = exchange(n1, n2);
    assertThat(moved.sent() + moved.received()).isZero();
    assertThat(served(n1, "node-exporter", T0)).isEqualTo("up 1\n");
    assertThat(served(n2, "node-exporter", T0)).isEqualTo("up 2\n");
  }

  @Test
  void aPeerNeverOverwritesThisNodesOwnFolder() throws IOException {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0);
    exchange(n1, n2);
    // n2 holds a copy of n1's folder that claims a later confirmation and other content
    Path forged = dir.resolve("n2/shared/n1");
    Files.writeString(forged.resolve("a9.entry"), "junk");
    Files.setLastModifiedTime(
        forged.resolve(".alive"), java.nio.file.attribute.FileTime.from(T0.plusSeconds(3600)));

    exchange(n1, n2);

    assertThat(dir.resolve("n1/shared/n1/a9.entry")).doesNotExist();
    assertThat(served(n1, "web", T0)).isEqualTo("hits 1\n");
  }

  @Test
  void aFileThePeerRefusesIsReportedAndTheRestStillMoves() throws IOException {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n2, "n2", T0);
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"), entry("n1", "a2", "api", "x 1\n"));
    Files.writeString(dir.resolve("n1/shared/n1/a2.entry"), "not an entry");

    Exchange.Moved moved = exchange(n1, n2);

    assertThat(moved.sent()).isEqualTo(2); // both travel with the manifest; the peer refuses one
    assertThat(moved.errors()).singleElement().asString().contains("n1/a2.entry: ");
    assertThat(served(n2, "web", T0)).isEqualTo("hits 1\n");
    assertThat(dir.resolve("n2/shared/n1/a2.entry")).doesNotExist();
  }

  @Test
  void twoNodesWithOneNameAreRefused() {
    Store a = store("a");
    Store b = store("b");
    cycle(a, "same", T0);
    cycle(b, "same", T0);
    assertThatThrownBy(() -> exchange(a, b))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("NODE_NAME");
  }

  @Test
  void anUnchangedFolderIsNotEvenListedOnlyConfirmedLater() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Entry a = entry("n1", "a1", "web", "hits 1\n");
    cycle(n1, "n1", T0, a);
    cycle(n2, "n2", T0);
    exchange(n1, n2);
    cycle(n1, "n1", T0.plusSeconds(10), a);
    cycle(n2, "n2", T0.plusSeconds(10));

    RecordingStore peer = new RecordingStore(new LocalStore(n2));
    Exchange.Moved moved = exchange.run(new LocalStore(n1), peer);

    assertThat(moved.sent() + moved.received() + moved.deleted()).isZero();
    assertThat(peer.calls).noneMatch(c -> c.startsWith("list "));
    assertThat(served(n2, "web", T0.plusSeconds(35))).isEqualTo("hits 1\n");
  }

  @Test
  void aPeersGenerationIsReadAgainOnlyWhenItsAliveChanged() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Store n3 = store("n3");
    Entry a = entry("n1", "a1", "web", "hits 1\n");
    Entry c = entry("n3", "c1", "web", "hits 3\n");
    cycle(n1, "n1", T0, a);
    cycle(n2, "n2", T0);
    cycle(n3, "n3", T0, c);
    AliveMemo memo = new AliveMemo();
    exchange(n1, n3);
    // n2 as a peer without a manifest (an older version): every folder's .alive is stat'ed
    exchange.run(new LocalStore(n1), new RecordingStore(new LocalStore(n2)), memo);
    cycle(n1, "n1", T0.plusSeconds(10), a);
    cycle(n3, "n3", T0.plusSeconds(10), c);
    exchange(n1, n3);

    RecordingStore peer = new RecordingStore(new LocalStore(n2));
    Exchange.Moved confirmed = exchange.run(new LocalStore(n1), peer, memo);

    // n1's and n3's folders confirmed later on n2, without reading n2's generations again
    assertThat(confirmed.sent() + confirmed.received() + confirmed.deleted()).isZero();
    assertThat(peer.calls).noneMatch(call -> call.startsWith("read "));
    assertThat(peer.calls).contains("touch n1/.alive", "touch n3/.alive");
    assertThat(n2.confirmations()).containsEntry("n1", T0.plusSeconds(10));
    assertThat(served(n2, "web", T0.plusSeconds(35))).contains("node=\"n1\"} 1", "node=\"n3\"} 3");

    cycle(n1, "n1", T0.plusSeconds(20), entry("n1", "a1", "web", "hits 2\n"));
    peer.calls.clear();
    Exchange.Moved changed = exchange.run(new LocalStore(n1), peer, memo);

    assertThat(changed.sent()).isEqualTo(1);
    assertThat(served(n2, "web", T0.plusSeconds(21))).contains("node=\"n1\"} 2");

    // n2's copy of n3's folder changed behind the memo (another node wrote it): read again
    cycle(n3, "n3", T0.plusSeconds(30), entry("n3", "c1", "web", "hits 4\n"));
    exchange(n3, n2);
    cycle(n1, "n1", T0.plusSeconds(40), entry("n1", "a1", "web", "hits 2\n"));
    cycle(n3, "n3", T0.plusSeconds(40), entry("n3", "c1", "web", "hits 4\n"));
    exchange(n1, n3);
    peer.calls.clear();
    exchange.run(new LocalStore(n1), peer, memo);

    assertThat(peer.calls).contains("read n3/.alive");
    assertThat(served(n2, "web", T0.plusSeconds(45))).contains("node=\"n1\"} 2", "node=\"n3\"} 4");
  }

  @Test
  void anUnchangedExchangeByManifestReadsAndWritesTheManifestOnly() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Entry a = entry("n1", "a1", "web", "hits 1\n");
    cycle(n1, "n1", T0, a);
    cycle(n2, "n2", T0, entry("n2", "b1", "api", "x 1\n"));
    exchange(n1, n2);
    cycle(n1, "n1", T0.plusSeconds(10), a);
    cycle(n2, "n2", T0.plusSeconds(10), entry("n2", "b1", "api", "x 1\n"));

    RecordingStore peer = new RecordingStore(new LocalStore(n2), true);
    LocalStore local = new LocalStore(n1);
    Exchange.Moved moved = exchange.run(local, peer);
    local.flush(T0.plusSeconds(10));

    assertThat(moved.sent() + moved.received() + moved.deleted()).isZero();
    assertThat(peer.calls).containsExactly("manifest", "writeManifest");
    assertThat(n2.confirmations()).containsEntry("n1", T0.plusSeconds(10));
    assertThat(n1.confirmations()).containsEntry("n2", T0.plusSeconds(10));
    assertThat(served(n2, "web", T0.plusSeconds(35))).isEqualTo("hits 1\n");
    assertThat(served(n1, "api", T0.plusSeconds(35))).isEqualTo("x 1\n");
  }

  @Test
  void onlyAFolderWhoseGenerationDiffersIsListed() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Store n3 = store("n3");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0);
    cycle(n3, "n3", T0, entry("n3", "c1", "web", "hits 3\n"));
    exchange(n1, n3);
    exchange(n1, n2);
    cycle(n1, "n1", T0.plusSeconds(10), entry("n1", "a1", "web", "hits 2\n"));
    cycle(n3, "n3", T0.plusSeconds(10), entry("n3", "c1", "web", "hits 3\n"));
    exchange(n1, n3);

    RecordingStore peer = new RecordingStore(new LocalStore(n2), true);
    peer.plain = true; // a plain folder: copied file by file
    Exchange.Moved moved = exchange.run(new LocalStore(n1), peer);

    assertThat(moved.sent()).isEqualTo(1);
    assertThat(peer.calls.stream().filter(c -> c.startsWith("list "))).containsExactly("list n1");
    assertThat(served(n2, "web", T0.plusSeconds(35))).contains("node=\"n1\"} 2", "node=\"n3\"} 3");
  }

  @Test
  void aPeerWithoutAManifestIsExchangedWithByAliveAndThenGetsOne() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0);
    RecordingStore peer = new RecordingStore(new LocalStore(n2), false);
    peer.takesManifest = true;

    exchange.run(new LocalStore(n1), peer);

    assertThat(peer.calls).contains("stat n1/.alive", "list n1", "writeManifest");
    assertThat(served(n2, "web", T0)).isEqualTo("hits 1\n");

    // an older peer that refuses the manifest: still exchanged with, never offered one again
    RecordingStore older = new RecordingStore(new LocalStore(n2), false);
    AliveMemo memo = new AliveMemo();
    cycle(n1, "n1", T0.plusSeconds(10), entry("n1", "a1", "web", "hits 2\n"));
    exchange.run(new LocalStore(n1), older, memo);
    cycle(n1, "n1", T0.plusSeconds(20), entry("n1", "a1", "web", "hits 3\n"));
    exchange.run(new LocalStore(n1), older, memo);

    assertThat(older.calls.stream().filter(c -> c.equals("writeManifest"))).hasSize(1);
    assertThat(served(n2, "web", T0.plusSeconds(20))).isEqualTo("hits 3\n");
  }

  @Test
  void aStaleManifestCostsAListingNeverAWrongCopy() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0);
    exchange(n1, n2);
    io.appmetricsproxy.store.Manifest before = n2.manifest();
    cycle(n1, "n1", T0.plusSeconds(10), entry("n1", "a1", "web", "hits 2\n"));
    exchange(n1, n2);
    // n2's manifest as it was before the change, e.g. read just before another manager wrote it
    RecordingStore peer = new RecordingStore(new LocalStore(n2), true);
    peer.stale = before;
    peer.plain = true; // a plain folder: copied file by file
    cycle(n1, "n1", T0.plusSeconds(20), entry("n1", "a1", "web", "hits 2\n"));

    Exchange.Moved moved = exchange.run(new LocalStore(n1), peer);

    assertThat(moved.sent() + moved.deleted()).isZero(); // listed: the same files, nothing moves
    assertThat(peer.calls).contains("list n1");
    assertThat(served(n2, "web", T0.plusSeconds(45))).isEqualTo("hits 2\n");
    assertThat(n2.confirmations()).containsEntry("n1", T0.plusSeconds(20));
  }

  @Test
  void aNodeRestartedWithAnEmptyStoreReplacesItsFolderEverywhere() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"), entry("n1", "a2", "api", "x 1\n"));
    cycle(n2, "n2", T0);
    exchange(n1, n2);
    // n1 comes back with a new store: its generation starts anew, whatever it was before
    Store again = new Store(dir.resolve("n1-again"));
    again.open();
    cycle(again, "n1", T0.plusSeconds(20), entry("n1", "a3", "web", "hits 7\n"));

    Exchange.Moved moved =
        exchange.run(new LocalStore(again), new RecordingStore(new LocalStore(n2), true));

    assertThat(moved.sent()).isEqualTo(1);
    assertThat(dir.resolve("n2/shared/n1/a1.entry")).doesNotExist();
    assertThat(dir.resolve("n2/shared/n1/a2.entry")).doesNotExist();
    assertThat(served(n2, "web", T0.plusSeconds(21))).isEqualTo("hits 7\n");
    assertThat(served(n2, "api", T0.plusSeconds(21))).isEmpty();
  }

  @Test
  void aManifestConfirmsOnlyTheFoldersHoldingItsGeneration() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0);
    exchange(n1, n2);
    String held = n2.confirmation("n1").orElseThrow().generation();
    var offered =
        new io.appmetricsproxy.store.Manifest(
            java.util.Map.of(
                "n1", new io.appmetricsproxy.store.Manifest.Folder(T0.getEpochSecond() + 50, "9"),
                "n9", new io.appmetricsproxy.store.Manifest.Folder(T0.getEpochSecond() + 50, "9"),
                "n2", new io.appmetricsproxy.store.Manifest.Folder(T0.getEpochSecond() + 50, "9")));

    new LocalStore(n2).writeManifest(offered.format());

    // another generation (a copy that did not complete), an unknown folder, its own: none taken
    assertThat(n2.confirmations()).containsEntry("n1", T0).doesNotContainKey("n9");
    assertThat(n2.confirmation("n1").orElseThrow().generation()).isEqualTo(held);
    assertThatThrownBy(
            () -> new LocalStore(n2).writeManifest("junk".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ReplicationException.class)
        .hasMessage("not a manifest: .manifest");
  }

  @Test
  void aChangedFolderTravelsInTheUploadOfTheManifestWithOnlyTheEntriesThatChanged() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"), entry("n1", "a2", "api", "x 1\n"));
    cycle(n2, "n2", T0);
    RecordingStore first = new RecordingStore(new LocalStore(n2), true);
    assertThat(exchange.run(new LocalStore(n1), first).sent()).isEqualTo(2);
    assertThat(first.calls).containsExactly("manifest", "list n2", "writeManifest");

    cycle(n1, "n1", T0.plusSeconds(10), entry("n1", "a1", "web", "hits 2\n"));
    RecordingStore peer = new RecordingStore(new LocalStore(n2), true);
    Exchange.Moved moved = exchange.run(new LocalStore(n1), peer);

    // the peer holds the generation before: only a1's bytes travel, a2 is removed there
    assertThat(peer.calls).containsExactly("manifest", "writeManifest");
    assertThat(moved.sent()).isEqualTo(1);
    assertThat(moved.errors()).isEmpty();
    assertThat(served(n2, "web", T0.plusSeconds(10))).isEqualTo("hits 2\n");
    assertThat(served(n2, "api", T0.plusSeconds(10))).isEmpty();
    assertThat(dir.resolve("n2/shared/n1/a2.entry")).doesNotExist();
    assertThat(n2.confirmation("n1")).isEqualTo(n1.confirmation("n1"));
  }

  /**
   * A proxy's store takes the entries of the folders in an upload gzipped (manifest version 3); an
   * earlier proxy's (version 2) gets them as they are. Both end with the same bytes.
   */
  @Test
  void anEntryTravelsGzippedToAPeerThatTakesThatAndAsItIsToAnEarlierOne() throws IOException {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Store n3 = store("n3");
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      body.append("hits_total{path=\"/api/v1/items/").append(i).append("\"} ").append(i * 7);
      body.append('\n');
    }
    cycle(n1, "n1", T0, entry("n1", "a1", "web", body.toString()));
    cycle(n2, "n2", T0);
    cycle(n3, "n3", T0);
    RecordingStore current = new RecordingStore(new LocalStore(n2), true);
    RecordingStore earlier = new RecordingStore(new LocalStore(n3), true);
    earlier.takes = io.appmetricsproxy.store.Manifest.Takes.FOLDERS;

    assertThat(exchange.run(new LocalStore(n1), current).sent()).isEqualTo(1);
    assertThat(exchange.run(new LocalStore(n1), earlier).sent()).isEqualTo(1);

    byte[] entry = Files.readAllBytes(dir.resolve("n1/shared/n1/a1.entry"));
    String gzipped = new String(current.written.get(0), StandardCharsets.ISO_8859_1);
    String plain = new String(earlier.written.get(0), StandardCharsets.ISO_8859_1);
    assertThat(plain).contains("a1.entry " + entry.length + " ").contains(body);
    assertThat(gzipped)
        .doesNotContain("hits_total")
        .containsPattern("a1\\.entry \\d+ \\d+ \\d+\\+\\d+\n");
    assertThat(gzipped.length()).isLessThan(plain.length() - entry.length / 2);
    for (String node : new String[] {"n2", "n3"}) {
      assertThat(dir.resolve(node + "/shared/n1/a1.entry")).hasBinaryContent(entry);
    }
    assertThat(served(n2, "web", T0)).isEqualTo(body.toString());
    assertThat(served(n3, "web", T0)).isEqualTo(body.toString());
  }

  /**
   * A round's first pass with a proxy only reads: its manifest, and the folders it holds later; the
   * second writes it one upload of all it lacks, what the first passes brought from others
   * included.
   */
  @Test
  void aFirstPassOnlyTakesAndTheSecondWritesOneUploadOfAllThePeerLacks() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Store n3 = store("n3");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0, entry("n2", "b1", "api", "x 1\n"));
    cycle(n3, "n3", T0, entry("n3", "c1", "db", "rows 1\n"));
    AliveMemo memo = new AliveMemo();
    RecordingStore peer = new RecordingStore(new LocalStore(n2), true);

    Exchange.Pulled first = exchange.pull(new LocalStore(n1), peer, memo);
    assertThat(first.pushDue()).isTrue();
    assertThat(first.moved().received()).isEqualTo(1);
    assertThat(peer.calls).contains("manifest", "read n2/b1.entry").doesNotContain("writeManifest");
    assertThat(served(n1, "api", T0)).isEqualTo("x 1\n");
    assertThat(served(n2, "web", T0)).isEmpty();

    exchange.pull(new LocalStore(n1), new LocalStore(n3), new AliveMemo()); // another peer's news
    peer.calls.clear();
    Exchange.Moved second = exchange.runAgain(new LocalStore(n1), peer, memo);
    assertThat(peer.calls).containsExactly("writeManifest");
    assertThat(second.sent()).isEqualTo(2);
    assertThat(second.errors()).isEmpty();
    assertThat(served(n2, "web", T0)).isEqualTo("hits 1\n");
    assertThat(served(n2, "db", T0)).isEqualTo("rows 1\n");

    // a plain folder gets a whole exchange in the first pass, and no part owed after it
    Store n4 = store("n4");
    cycle(n4, "n4", T0);
    RecordingStore plain = new RecordingStore(new LocalStore(n4), true);
    plain.plain = true;
    Exchange.Pulled whole = exchange.pull(new LocalStore(n1), plain, new AliveMemo());
    assertThat(whole.pushDue()).isFalse();
    assertThat(plain.calls).contains("writeManifest");
    assertThat(served(n4, "web", T0)).isEqualTo("hits 1\n");
  }

  /**
   * A cycle that rewrites an entry between the exchange's listing of its folder and the read of it:
   * sent with that listing, the entry would be longer than its line says, and the peer would refuse
   * the whole upload, every other folder in it too.
   */
  @Test
  void aFolderRewrittenWhileItIsReadWaitsForTheNextExchangeAndTheRestStillMoves() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Store n3 = store("n3");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0);
    cycle(n3, "n3", T0, entry("n3", "c1", "db", "rows 1\n"));
    assertThat(exchange(n1, n2).errors()).isEmpty();

    cycle(n1, "n1", T0.plusSeconds(10), entry("n1", "a1", "web", "hits 2\n"));
    assertThat(exchange(n1, n3).errors()).isEmpty(); // n1 now holds n3's folder for n2
    RecordingStore local = new RecordingStore(new LocalStore(n1), true);
    local.beforeRead =
        () -> cycle(n1, "n1", T0.plusSeconds(11), entry("n1", "a1", "web", "hits 1000\n"));
    Exchange.Moved moved = exchange.run(local, new LocalStore(n2));

    assertThat(moved.errors()).isEmpty();
    assertThat(served(n2, "db", T0.plusSeconds(11))).isEqualTo("rows 1\n");
    assertThat(served(n2, "web", T0.plusSeconds(11))).isEqualTo("hits 1\n"); // as it held it

    Exchange.Moved next = exchange(n1, n2);
    assertThat(next.errors()).isEmpty();
    assertThat(served(n2, "web", T0.plusSeconds(11))).isEqualTo("hits 1000\n");
    assertThat(n2.confirmation("n1")).isEqualTo(n1.confirmation("n1"));
  }

  /**
   * A folder changed twice within a second is confirmed in the next second, ahead of the clock; an
   * entry changed before the clock gets there is still written in a later second than that
   * generation, so that a peer holding it is sent the entry's bytes (it refused the whole upload
   * when they were left out as older than its generation).
   */
  @Test
  void anEntryChangedAfterAGenerationConfirmedAheadOfTheClockIsSentWithIt() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n2, "n2", T0);
    Instant t = T0.plusMillis(100);
    cycle(n1, "n1", t, entry("n1", "a1", "web", "hits 1\n"), entry("n1", "a2", "api", "x 1\n"));
    assertThat(exchange(n1, n2).errors()).isEmpty();
    cycle(
        n1,
        "n1",
        t.plusMillis(200),
        entry("n1", "a1", "web", "hits 2\n"),
        entry("n1", "a2", "api", "x 1\n"));
    assertThat(n1.confirmation("n1").orElseThrow().generationSecond())
        .isEqualTo(T0.getEpochSecond() + 1); // ahead of the clock
    assertThat(exchange(n1, n2).errors()).isEmpty();

    cycle(
        n1,
        "n1",
        t.plusMillis(500),
        entry("n1", "a1", "web", "hits 2\n"),
        entry("n1", "a2", "api", "x 2\n"));
    Exchange.Moved moved = exchange(n1, n2);

    assertThat(moved.errors()).isEmpty();
    assertThat(moved.sent()).isEqualTo(1);
    assertThat(n2.confirmation("n1")).isEqualTo(n1.confirmation("n1"));
    assertThat(served(n2, "api", t.plusMillis(500))).isEqualTo("x 2\n");
    assertThat(served(n2, "web", t.plusMillis(500))).isEqualTo("hits 2\n");
  }

  /**
   * A change goes to every peer of a round: the folder is listed and its changed entries read once
   * for all the peers that hold the same generation, and again only once this store changed.
   */
  @Test
  void aFolderBundledForOnePeerIsReadOnceForEveryPeerHoldingTheSameGeneration() {
    Store n1 = store("n1");
    List<Store> peers = List.of(store("n2"), store("n3"), store("n4"));
    for (int i = 0; i < peers.size(); i++) {
      cycle(peers.get(i), "n" + (i + 2), T0);
    }
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"), entry("n1", "a2", "api", "x 1\n"));
    peers.forEach(p -> exchange(n1, p));
    cycle(
        n1,
        "n1",
        T0.plusSeconds(10),
        entry("n1", "a1", "web", "hits 2\n"),
        entry("n1", "a2", "api", "x 1\n"));

    RecordingStore local = new RecordingStore(new LocalStore(n1), true);
    for (Store p : peers.subList(0, 2)) {
      Exchange.Moved moved = exchange.run(local, new LocalStore(p));
      assertThat(moved.errors()).isEmpty();
      assertThat(moved.sent()).isEqualTo(1);
      assertThat(served(p, "web", T0.plusSeconds(10))).isEqualTo("hits 2\n");
      assertThat(p.confirmation("n1")).isEqualTo(n1.confirmation("n1"));
    }
    assertThat(local.calls).containsOnlyOnce("list n1", "read n1/a1.entry");

    // a cycle here rewrites a2: what was bundled no longer holds
    cycle(
        n1,
        "n1",
        T0.plusSeconds(20),
        entry("n1", "a1", "web", "hits 2\n"),
        entry("n1", "a2", "api", "x 2\n"));
    local.calls.clear();
    Store last = peers.get(2);
    Exchange.Moved moved = exchange.run(local, new LocalStore(last));
    assertThat(moved.errors()).isEmpty();
    assertThat(local.calls).contains("list n1", "read n1/a1.entry", "read n1/a2.entry");
    assertThat(served(last, "web", T0.plusSeconds(20))).isEqualTo("hits 2\n");
    assertThat(served(last, "api", T0.plusSeconds(20))).isEqualTo("x 2\n");
    Exchange.Moved again = exchange.run(local, new LocalStore(peers.get(0)));
    assertThat(again.errors()).isEmpty();
    assertThat(served(peers.get(0), "api", T0.plusSeconds(20))).isEqualTo("x 2\n");
  }

  @Test
  void anEntryThePeerLacksButWasNotSentLeavesItsFolderToBeSentWholeNextTime() throws IOException {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"), entry("n1", "a2", "api", "x 1\n"));
    cycle(n2, "n2", T0);
    exchange(n1, n2);
    cycle(
        n1,
        "n1",
        T0.plusSeconds(10),
        entry("n1", "a1", "web", "hits 2\n"),
        entry("n1", "a2", "api", "x 1\n"));
    assertThat(exchange(n1, n2).sent()).isEqualTo(1); // a2 is older than n2's generation: not sent
    // n2's copy of a2 is not the one its generation names (e.g. changed by hand)
    Files.setLastModifiedTime(
        dir.resolve("n2/shared/n1/a2.entry"),
        java.nio.file.attribute.FileTime.from(T0.minusSeconds(3600)));
    cycle(
        n1,
        "n1",
        T0.plusSeconds(20),
        entry("n1", "a1", "web", "hits 3\n"),
        entry("n1", "a2", "api", "x 1\n"));

    Exchange.Moved refused = exchange(n1, n2);

    assertThat(refused.errors())
        .singleElement()
        .asString()
        .contains("n1/a2.entry differs here and its bytes were not sent");
    assertThat(n2.confirmation("n1").orElseThrow().generation()).isEmpty();
    assertThat(served(n2, "web", T0.plusSeconds(20))).isEqualTo("hits 3\n");

    // its next confirmation, a second later, sends the folder whole
    cycle(
        n1,
        "n1",
        T0.plusSeconds(30),
        entry("n1", "a1", "web", "hits 3\n"),
        entry("n1", "a2", "api", "x 1\n"));
    Exchange.Moved whole = exchange(n1, n2);

    assertThat(whole.errors()).isEmpty();
    assertThat(whole.sent()).isEqualTo(2);
    assertThat(n2.confirmation("n1")).isEqualTo(n1.confirmation("n1"));
    assertThat(dir.resolve("n2/shared/n1/a2.entry"))
        .hasBinaryContent(Files.readAllBytes(dir.resolve("n1/shared/n1/a2.entry")));
    assertThat(served(n2, "api", T0.plusSeconds(30))).isEqualTo("x 1\n");
  }

  @Test
  void anUploadWhoseFoldersAreTornIsRefusedAndNothingOfItTaken() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0);
    byte[] entry = new LocalStore(n1).read("n1", "a1.entry", 1 << 20);
    FileStat stat = new LocalStore(n1).list("n1").get("a1.entry");
    byte[] manifest = new io.appmetricsproxy.store.Manifest(n1.manifest().folders()).format();
    byte[] upload =
        Bundle.upload(
            manifest,
            java.util.List.of(
                new Bundle.Folder(
                    "n1",
                    T0.getEpochSecond(),
                    n1.confirmation("n1").orElseThrow().generation(),
                    java.util.List.of(Bundle.File.of("a1.entry", stat, entry)))),
            false);
    // 40 bytes of the folder's part gone, the manifest after it and the last line whole
    assertThat(upload.length - manifest.length).isGreaterThan(140);
    byte[] torn = new byte[upload.length - 40];
    System.arraycopy(upload, 0, torn, 0, 60);
    System.arraycopy(upload, 100, torn, 60, torn.length - 60);

    assertThatThrownBy(() -> new LocalStore(n2).writeManifest(torn))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("torn");
    assertThat(n2.confirmation("n1")).isEmpty();
    assertThat(dir.resolve("n2/shared/n1/a1.entry")).doesNotExist();

    new LocalStore(n2).writeManifest(upload);

    assertThat(n2.confirmation("n1")).isEqualTo(n1.confirmation("n1"));
    assertThat(served(n2, "web", T0)).isEqualTo("hits 1\n");
  }

  /**
   * A round's second exchange with a peer that takes folders starts from what the first left there:
   * no read of its manifest, only what this node got since (here n3's folder) in the upload.
   */
  @Test
  void aSecondExchangeSendsWhatCameSinceWithoutReadingThePeersManifestAgain() {
    Store n1 = store("n1");
    Store n2 = store("n2");
    Store n3 = store("n3");
    cycle(n1, "n1", T0, entry("n1", "a1", "web", "hits 1\n"));
    cycle(n2, "n2", T0, entry("n2", "b1", "api", "x 1\n"));
    cycle(n3, "n3", T0, entry("n3", "c1", "db", "y 1\n"));
    AliveMemo memo = new AliveMemo();
    RecordingStore peer = new RecordingStore(new LocalStore(n2), true);
    LocalStore local = new LocalStore(n1);
    exchange.run(local, peer, memo); // the first pass
    exchange.run(local, new LocalStore(n3)); // another peer's first pass brings n3's folder

    peer.calls.clear();
    Exchange.Moved second = exchange.runAgain(local, peer, memo);

    assertThat(peer.calls).containsExactly("writeManifest");
    assertThat(second.sent()).isEqualTo(1);
    assertThat(served(n2, "db", T0.plusSeconds(5))).isEqualTo("y 1\n");
    assertThat(n2.confirmation("n3")).isEqualTo(n1.confirmation("n3"));

    // nothing new since: only the manifest, whose confirmations the peer takes where later
    peer.calls.clear();
    assertThat(exchange.runAgain(local, peer, memo).sent()).isZero();
    assertThat(peer.calls).containsExactly("writeManifest");

    // without what an exchange left (a new connection, a refusal), or with a plain folder: whole
    peer.calls.clear();
    exchange.runAgain(local, peer, new AliveMemo());
    assertThat(peer.calls).startsWith("manifest");
    RecordingStore plain = new RecordingStore(new LocalStore(n2), true);
    plain.plain = true;
    AliveMemo plainMemo = new AliveMemo();
    exchange.run(local, plain, plainMemo);
    plain.calls.clear();
    exchange.runAgain(local, plain, plainMemo);
    assertThat(plain.calls).startsWith("manifest");
  }
}
