package io.appmetricsproxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Exposition;
import io.appmetricsproxy.exposition.ExpositionParser;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Label;
import io.appmetricsproxy.exposition.MetricFamily;
import io.appmetricsproxy.exposition.MetricType;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.exposition.Sample;
import io.appmetricsproxy.scrape.BodyCheck;
import io.appmetricsproxy.scrape.Corpus;
import io.appmetricsproxy.status.Served;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every body of the conformance corpus the proxy keeps is served so that Prometheus (whose parser
 * the proxy's is, verdict for verdict) stores from it what it stores from the body: as it came to a
 * client of its format, converted to text, and merged from two containers.
 */
class CorpusServingTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void servedBodiesStoreWhatTheOriginalStores() {
    int served = 0;
    List<String> differences = new ArrayList<>();
    for (Corpus.Case c : Corpus.load().cases()) {
      BodyCheck.Verdict verdict = BodyCheck.check(c.body(), c.contentType());
      if (!verdict.accepted()) {
        continue;
      }
      served++;
      Payload payload = verdict.payload().get();
      Exposition original = payload.parse();
      Served one = Served.of("n", List.of(entry("c1", payload)));
      if (!one.payload(payload.format()).equals(payload)) {
        differences.add(c.id() + ": not served as it came");
      }
      Exposition text = ExpositionParser.parse(one.payload(Format.TEXT).toByteArray(), Format.TEXT);
      compare(
          c.id() + " as text", stored(asText(original), s -> s), stored(text, s -> s), differences);

      Served two = Served.of("n", List.of(entry("c1", payload), entry("c2", payload)));
      Payload merged = two.payload();
      Exposition reread = ExpositionParser.parse(merged.toByteArray(), merged.format());
      List<String> expected = new ArrayList<>(stored(original, s -> withContainer(s, "c1")));
      stored(original, s -> withContainer(s, "c2")).stream()
          .filter(line -> !line.startsWith("metadata "))
          .forEach(expected::add);
      if (merged.format() == Format.OPENMETRICS) {
        expected.replaceAll(CorpusServingTest::without242Exemplar);
      }
      Collections.sort(expected);
      compare(c.id() + " merged", expected, stored(reread, s -> s), differences);
    }
    System.out.println("corpus bodies served, converted and merged: " + served);
    assertThat(served).isEqualTo(157);
    assertThat(differences).isEmpty();
  }

  private static void compare(
      String what, List<String> expected, List<String> actual, List<String> differences) {
    if (!expected.equals(actual)) {
      List<String> missing = new ArrayList<>(expected);
      missing.removeAll(actual);
      List<String> extra = new ArrayList<>(actual);
      extra.removeAll(expected);
      differences.add(what + ": missing " + missing + ", extra " + extra);
    }
  }

  private static Entry entry(String container, Payload payload) {
    return new Entry("node", container + "-id", container, "n", AT, payload);
  }

  /**
   * The original as a text reader of the converted body would have it, by Prometheus' rules: a
   * sample with a negative timestamp, which Prometheus' text parser cannot read, is left out.
   */
  private static Exposition asText(Exposition original) {
    if (original.format() == Format.TEXT) {
      return original;
    }
    List<MetricFamily> families = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (MetricFamily f : original.families()) {
      List<Sample> samples = new ArrayList<>();
      for (Sample s : f.samples()) {
        String ts = s.timestamp() == null ? null : Long.toString(millis(s.timestamp()));
        if (ts != null && ts.startsWith("-")) {
          continue;
        }
        if (seen.add(s.name() + s.labels() + " @" + ts)) {
          samples.add(new Sample(s.name(), s.labels(), s.value(), ts, null));
        }
      }
      MetricType type =
          switch (f.type()) {
            case INFO, STATESET -> MetricType.GAUGE;
            case GAUGEHISTOGRAM -> MetricType.HISTOGRAM;
            case UNKNOWN -> MetricType.UNTYPED;
            default -> f.type();
          };
      families.add(new MetricFamily(f.name(), type, f.help(), null, samples));
    }
    return new Exposition(Format.TEXT, families);
  }

  /** Prometheus' int64(seconds * 1000), written here independently of the proxy's. */
  private static long millis(String seconds) {
    double ms = Double.parseDouble(seconds) * 1000;
    return Math.abs(ms) < 0x1p63 ? (long) ms : Long.MIN_VALUE;
  }

  private static Sample withContainer(Sample s, String container) {
    List<Label> labels = new ArrayList<>(s.labels());
    labels.add(new Label("container", container));
    return new Sample(s.name(), labels, s.value(), s.timestamp(), s.exemplar());
  }

  /** The value Go's ParseFloat reads: NaN and infinities in any case too. */
  private static double goFloat(String s) {
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    return Double.parseDouble(lower.replaceAll("^([+-]?)inf(inity)?$", "$1Infinity"));
  }

  /** 2.42 refuses an exemplar after a name not ending in _total or _bucket: a merge drops it. */
  private static String without242Exemplar(String stored) {
    if (stored.startsWith("metadata ")) {
      return stored;
    }
    String name = stored.substring(0, stored.indexOf('['));
    if (name.endsWith("_total") || name.endsWith("_bucket") || !stored.contains(" # ")) {
      return stored;
    }
    return stored.substring(0, stored.indexOf(" # "));
  }

  /**
   * What Prometheus stores, order-free: per sample its series (labels sorted), value, timestamp in
   * ms and exemplar; per family with metadata lines its type, HELP and UNIT.
   */
  static List<String> stored(Exposition e, Function<Sample, Sample> change) {
    List<String> out = new ArrayList<>();
    boolean om = e.format() == Format.OPENMETRICS;
    for (MetricFamily f : e.families()) {
      String type = f.type() == MetricType.UNTYPED ? "unknown" : f.type().keyword();
      if (f.help() != null || f.unit() != null || !type.equals("unknown")) {
        out.add("metadata " + f.name() + " " + type + " help=" + f.help() + " unit=" + f.unit());
      }
      for (Sample raw : f.samples()) {
        Sample s = change.apply(raw);
        List<String> labels = new ArrayList<>();
        s.labels().forEach(l -> labels.add(l.name() + "=" + l.value()));
        Collections.sort(labels);
        double value = goFloat(s.value());
        String ts =
            s.timestamp() == null
                ? "none"
                : Long.toString(om ? millis(s.timestamp()) : Long.parseLong(s.timestamp()));
        out.add(
            s.name()
                + labels
                + " "
                + (Double.isNaN(value) ? "NaN" : Double.toString(value))
                + " @"
                + ts
                + (s.exemplar() == null ? "" : " # " + s.exemplar()));
      }
    }
    Collections.sort(out);
    return out;
  }
}
