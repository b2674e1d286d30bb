package io.appmetricsproxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.testing.StoredTarget.Metadata;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The lens check's own rules: what counts as a difference, and the text client's exemptions. */
class StoredComparisonTest {
  private static SortedMap<String, String> series(String name, String... labels) {
    SortedMap<String, String> s = new TreeMap<>(Map.of("__name__", name));
    for (int i = 0; i < labels.length; i += 2) {
      s.put(labels[i], labels[i + 1]);
    }
    return s;
  }

  private static final class Stored {
    final SortedMap<SortedMap<String, String>, SortedSet<String>> series =
        new TreeMap<>(StoredTarget::compareLabels);
    final SortedMap<String, Metadata> metadata = new TreeMap<>();
    final SortedMap<SortedMap<String, String>, SortedSet<String>> exemplars =
        new TreeMap<>(StoredTarget::compareLabels);

    Stored sample(SortedMap<String, String> labels, String... samples) {
      series.put(labels, new TreeSet<>(Set.of(samples)));
      return this;
    }

    Stored meta(String metric, String type, String help, String unit) {
      metadata.put(metric, new Metadata(type, help, unit));
      return this;
    }

    Stored exemplar(SortedMap<String, String> labels, String exemplar) {
      exemplars.put(labels, new TreeSet<>(Set.of(exemplar)));
      return this;
    }

    StoredTarget up() {
      return new StoredTarget("up", "", series, metadata, exemplars);
    }
  }

  private static Stored openMetricsCounter() {
    return new Stored()
        .sample(series("a_total", "x", "1"), "@scrape 1")
        .sample(series("a_created", "x", "1"), "@scrape 1.5")
        .meta("a", "counter", "help", "seconds")
        .exemplar(series("a_total", "x", "1"), "{trace_id=t} 1 @1000");
  }

  @Test
  void theSameStoreHasNoDifference() {
    assertThat(
            StoredComparison.differences(
                openMetricsCounter().up(), openMetricsCounter().up(), false))
        .isEmpty();
  }

  @Test
  void aValueATimestampASeriesMetadataAndExemplarsEachDiffer() {
    StoredTarget direct = openMetricsCounter().up();
    assertThat(
            StoredComparison.differences(
                direct,
                openMetricsCounter().sample(series("a_total", "x", "1"), "@1001 1").up(),
                false))
        .containsExactly("a_total{x=\"1\"}: stored [@1001 1], direct [@scrape 1]");
    assertThat(
            StoredComparison.differences(
                direct, openMetricsCounter().sample(series("b"), "@scrape 1").up(), false))
        .containsExactly("extra series b [@scrape 1]");
    assertThat(
            StoredComparison.differences(
                direct, openMetricsCounter().meta("a", "counter", " help", "seconds").up(), false))
        .hasSize(1);
    assertThat(
            StoredComparison.differences(
                direct,
                openMetricsCounter().exemplar(series("a_total", "x", "1"), "{} 1 @1000").up(),
                false))
        .hasSize(1);
    assertThat(
            StoredComparison.differences(
                direct, new StoredTarget("down", "HTTP 404", null, null, null), false))
        .containsExactly("scrape failed: HTTP 404");
  }

  @Test
  void aTextClientMayLackExemplarsUnitAndCreatedButNotSamplesOrHelp() {
    StoredTarget direct = openMetricsCounter().up();
    Stored text =
        new Stored()
            .sample(series("a_total", "x", "1"), "@scrape 1")
            .meta("a", "counter", "help", "");
    assertThat(StoredComparison.differences(direct, text.up(), true)).isEmpty();
    assertThat(StoredComparison.differences(direct, text.up(), false)).hasSize(3);
    assertThat(
            StoredComparison.differences(
                direct, text.meta("a_total", "counter", "help", "").up(), true))
        .containsExactly("metadata a_total: type=counter help=\"help\" unit=\"\", direct null");
  }

  @Test
  void aTextClientMayLackASampleWithANegativeTimestampButNotGetItAtScrapeTime() {
    StoredTarget direct =
        new Stored()
            .sample(series("a", "t", "neg"), "@-1500 3")
            .sample(series("a", "t", "two"), "@-1000 0", "@1000 0")
            .up();
    assertThat(
            StoredComparison.differences(
                direct, new Stored().sample(series("a", "t", "two"), "@1000 0").up(), true))
        .isEmpty();
    assertThat(
            StoredComparison.differences(
                direct,
                new Stored()
                    .sample(series("a", "t", "neg"), "@scrape 3")
                    .sample(series("a", "t", "two"), "@1000 0")
                    .up(),
                true))
        .containsExactly("a{t=\"neg\"}: stored [@scrape 3], direct [@-1500 3]");
    assertThat(
            StoredComparison.differences(
                direct, new Stored().sample(series("a", "t", "two"), "@1000 0").up(), false))
        .hasSize(2);
  }

  @Test
  void aMergeIsComparedReplicaByReplicaWithoutItsLabel() {
    StoredTarget merged =
        new Stored()
            .sample(series("a", "container", "r1"), "@scrape 1")
            .sample(series("a", "container", "r2"), "@scrape 2")
            .sample(series("b", "container", "x", "proxy_container", "r1"), "@scrape 3")
            .sample(series("c"), "@scrape 4")
            .up();
    Set<String> replicas = Set.of("r1", "r2");
    StoredTarget r1 = StoredComparison.replica(merged, "r1", replicas);
    assertThat(r1.series().keySet()).containsExactly(series("a"), series("b", "container", "x"));
    assertThat(StoredComparison.replica(merged, "r2", replicas).series().get(series("a")))
        .containsExactly("@scrape 2");
    assertThat(StoredComparison.unlabelled(merged, replicas)).containsExactly("c");
  }
}
