package io.appmetricsproxy.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The proxy's scrape check gives every body of the conformance corpus the verdict Prometheus 2.42
 * gave it, except where the current Prometheus is more lenient, whose verdict wins.
 */
class CorpusVerdictTest {

  @Test
  void everyBodyGetsPrometheusVerdict() {
    Corpus corpus = Corpus.load();
    Map<String, int[]> bySource =
        new TreeMap<>(); // accepted, refused, kept wrongly, lost wrongly, kept as now
    List<String> mismatches = new ArrayList<>();
    for (Corpus.Case c : corpus.cases()) {
      BodyCheck.Verdict verdict = BodyCheck.check(c.body(), c.contentType());
      boolean expected = c.accepted() || Corpus.MORE_LENIENT_NOW.contains(c.id());
      int[] counts = bySource.computeIfAbsent(c.source(), s -> new int[5]);
      counts[verdict.accepted() ? 0 : 1]++;
      counts[4] += verdict.accepted() && !c.accepted() && expected ? 1 : 0;
      if (verdict.accepted() != expected) {
        counts[verdict.accepted() ? 2 : 3]++;
        mismatches.add(
            c.id()
                + (verdict.accepted()
                    ? ": kept, Prometheus refuses it"
                    : ": refused, Prometheus keeps it (" + verdict.error().get().message() + ")"));
      }
    }
    bySource.forEach(
        (source, n) ->
            System.out.printf(
                "corpus %-18s accepted %3d refused %3d; kept but refused by Prometheus %2d,"
                    + " refused but kept by Prometheus %2d; refused by 2.42, kept as by the"
                    + " current Prometheus %d%n",
                source, n[0], n[1], n[2], n[3], n[4]));
    mismatches.forEach(m -> System.out.println("  mismatch " + m));

    assertThat(corpus.cases()).hasSize(390);
    assertThat(mismatches).isEmpty();
  }
}
