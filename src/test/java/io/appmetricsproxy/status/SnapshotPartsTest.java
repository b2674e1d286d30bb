package io.appmetricsproxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Servable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A name's part of one node and one container alone: made once per snapshot, kept by the next one
 * while it does not change, and aged as the snapshot is.
 */
class SnapshotPartsTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(6);
  private static final Optional<String> N1 = Optional.of("n1");

  private static Entry entry(String node, String id, String container, String body, Instant at) {
    return entry(node, id, container, body, at, Format.TEXT);
  }

  private static Entry entry(
      String node, String id, String container, String body, Instant at, Format format) {
    Payload p = Payload.of(body.getBytes(StandardCharsets.UTF_8), format);
    return new Entry(node, id, container, "app", at, p);
  }

  private static Snapshot snapshot(Snapshot previous, Entry... entries) {
    return Snapshot.of(new Servable(List.of(entries), Map.of(), MAX_AGE), previous);
  }

  private static final Entry A = entry("n1", "a", "app-1", "# TYPE x gauge\nx 1\n", T);
  private static final Entry B = entry("n1", "b", "app-2", "# TYPE x gauge\nx 2\n", T);
  private static final Entry C = entry("n2", "c", "app-3", "# TYPE x gauge\nx 3\n", T);

  @Test
  void aNodesPartIsMergedOnceAndOnlyOfItsEntries() {
    Snapshot s = snapshot(Snapshot.empty(), A, B, C);
    Served local = s.ofNode("app", N1).orElseThrow();
    assertThat(local.entries()).containsExactly(A, B);
    assertThat(local.payload()).isEqualTo(Served.of("app", List.of(A, B)).payload());
    assertThat(local.payload()).isNotEqualTo(s.get("app").orElseThrow().payload());
    assertThat(s.ofNode("app", N1).orElseThrow()).isSameAs(local);
    assertThat(s.ofNode("app", Optional.of("n3"))).isEmpty();
    assertThat(s.ofNode("other", N1)).isEmpty();
  }

  @Test
  void snapshotsWithoutACommonPastShareNoPart() {
    Entry b2 = entry("n1", "b", "app-2", "# TYPE x gauge\nx 22\n", T);
    Snapshot one = snapshot(Snapshot.empty(), A, B, C);
    Snapshot other = snapshot(Snapshot.empty(), A, b2, C);
    assertThat(one.ofNode("app", N1).orElseThrow().entries()).containsExactly(A, B);
    assertThat(other.ofNode("app", N1).orElseThrow().entries()).containsExactly(A, b2);
  }

  @Test
  void withoutANodeNameOrWithEveryEntryLocalThePartIsTheWholeName() {
    Snapshot s = snapshot(Snapshot.empty(), A, B, C);
    assertThat(s.ofNode("app", Optional.empty()).orElseThrow()).isSameAs(s.get("app").get());
    Snapshot mine = snapshot(Snapshot.empty(), A, B);
    assertThat(mine.ofNode("app", N1).orElseThrow()).isSameAs(mine.get("app").get());
  }

  @Test
  void theNextSnapshotKeepsAnUnchangedPartsMergeAndMergesAChangedOneAgain() {
    Snapshot first = snapshot(Snapshot.empty(), A, B, C);
    Payload merged = first.ofNode("app", N1).orElseThrow().payload();
    Entry c2 = entry("n2", "c", "app-3", "# TYPE x gauge\nx 33\n", T.plusSeconds(1));
    Snapshot arrived = snapshot(first, A, B, c2);
    assertThat(arrived.get("app").orElseThrow().payload())
        .isNotEqualTo(first.get("app").orElseThrow().payload());
    assertThat(arrived.ofNode("app", N1).orElseThrow().payload()).isSameAs(merged);
    // kept through a snapshot that never made it
    Snapshot again = snapshot(snapshot(arrived, A, B, C), A, B, C);
    assertThat(again.ofNode("app", N1).orElseThrow().payload()).isSameAs(merged);

    Entry b2 = entry("n1", "b", "app-2", "# TYPE x gauge\nx 22\n", T.plusSeconds(1));
    Served changed = snapshot(again, A, b2, C).ofNode("app", N1).orElseThrow();
    assertThat(changed.payload()).isNotEqualTo(merged);
    assertThat(new String(changed.payload().toByteArray(), StandardCharsets.UTF_8))
        .contains("x{container=\"app-2\"} 22");
  }

  @Test
  void aPartAgesWithItsSnapshot() {
    Entry old = entry("n1", "a", "app-1", "# TYPE x gauge\nx 1\n", T);
    Entry fresh = entry("n1", "b", "app-2", "# TYPE x gauge\nx 2\n", T.plusSeconds(4));
    Entry remote = entry("n2", "c", "app-3", "# TYPE x gauge\nx 3\n", T.plusSeconds(4));
    Snapshot s = snapshot(Snapshot.empty(), old, fresh, remote);
    assertThat(s.ofNode("app", N1).orElseThrow().entries()).containsExactly(old, fresh);
    assertThat(s.ofContainer("app", "app-1", N1, false)).isPresent();

    Snapshot later = s.at(T.plus(MAX_AGE));
    assertThat(later.ofNode("app", N1).orElseThrow().entries()).containsExactly(fresh);
    assertThat(later.ofContainer("app", "app-1", N1, false)).isEmpty();
    assertThat(s.at(T.plusSeconds(11)).ofNode("app", N1)).isEmpty();
  }

  @Test
  void aContainerIsServedAloneAsItCame() {
    Entry om = entry("n1", "a", "app-1", "# TYPE x gauge\nx 1\n# EOF\n", T, Format.OPENMETRICS);
    Snapshot s = snapshot(Snapshot.empty(), om, B, C);
    Served alone = s.ofContainer("app", "app-1", N1, false).orElseThrow();
    assertThat(alone.entries()).containsExactly(om);
    assertThat(alone.payload()).isSameAs(om.payload());
    assertThat(s.ofContainer("app", "app-1", N1, false).orElseThrow()).isSameAs(alone);
    Payload text = alone.payload(Format.TEXT);
    assertThat(text.format()).isEqualTo(Format.TEXT);
    // the next snapshot keeps its conversion to text while it does not change
    Snapshot next = snapshot(s, om.withScrapedAt(T.plusSeconds(1)), B, C);
    Served kept = next.ofContainer("app", "app-1", N1, false).orElseThrow();
    assertThat(kept.payload(Format.TEXT)).isSameAs(text);
    assertThat(kept.lastModified()).isEqualTo(T.plusSeconds(1));
  }

  @Test
  void aContainerOfThisNodeComesFirstThenTheNewest() {
    // one container name on three nodes
    List<Entry> same = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      same.add(entry("n" + i, "c" + i, "app-1", "x " + i + "\n", T.plusSeconds(i)));
    }
    Entry here = same.get(0);
    Entry there = same.get(1);
    Entry newest = same.get(2);
    Snapshot s = snapshot(Snapshot.empty(), there, newest, here);
    assertThat(s.ofContainer("app", "app-1", N1, false).orElseThrow().entries())
        .containsExactly(here);
    assertThat(s.ofContainer("app", "app-1", Optional.of("n9"), false).orElseThrow().entries())
        .containsExactly(newest);
    assertThat(s.ofContainer("app", "app-1", Optional.of("n9"), true)).isEmpty();
    assertThat(s.ofContainer("app", "app-1", Optional.of("n2"), true).orElseThrow().entries())
        .containsExactly(there);
    assertThat(s.ofContainer("app", "app-9", N1, false)).isEmpty();
    assertThat(s.ofContainer("other", "app-1", N1, false)).isEmpty();
  }

  @Test
  void theContainerOfANameOfOneIsTheNameItself() {
    Snapshot s = snapshot(Snapshot.empty(), A);
    assertThat(s.ofContainer("app", "app-1", N1, true).orElseThrow()).isSameAs(s.get("app").get());
  }
}
