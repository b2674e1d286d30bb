package io.appmetricsproxy.exposition;

import io.appmetricsproxy.exposition.ProtoWire.Malformed;
import java.util.ArrayList;
import java.util.List;

/**
 * One io.prometheus.client.MetricFamily message as Prometheus 2.42's generated code unmarshals it
 * (src/main/proto/io/prometheus/client/metrics.proto has the fields): a message field given twice
 * is merged, a field of a number the message does not declare is skipped, a known field of another
 * wire type fails. Filled once by {@link #decode}, never changed after.
 */
final class ProtoFamily {
  static final int COUNTER = 0;
  static final int GAUGE = 1;
  static final int SUMMARY = 2;
  static final int UNTYPED = 3;
  static final int HISTOGRAM = 4;
  static final int GAUGE_HISTOGRAM = 5;

  /** A label pair; a null name or value: bytes that are not UTF-8. */
  record Pair(String name, String value) {}

  static final class Exemplar {
    final List<Pair> labels = new ArrayList<>();
    double value;
    boolean hasTimestamp;
    long seconds;
    long nanos;
  }

  static final class Bucket {
    long cumulative;
    double upperBound;
    Exemplar exemplar;
  }

  static final class Summary {
    long count;
    double sum;
    final List<double[]> quantiles = new ArrayList<>();
  }

  static final class Histogram {
    long count;
    double countFloat;
    double sum;
    final List<Bucket> buckets = new ArrayList<>();
    int schema;
    double zeroThreshold;
    long zeroCount;
    double zeroCountFloat;
    final List<int[]> negativeSpans = new ArrayList<>();
    final List<Long> negativeDeltas = new ArrayList<>();
    final List<Double> negativeCounts = new ArrayList<>();
    final List<int[]> positiveSpans = new ArrayList<>();
    final List<Long> positiveDeltas = new ArrayList<>();
    final List<Double> positiveCounts = new ArrayList<>();

    /** Prometheus 2.42's isNativeHistogram: integer buckets, a zero count or a zero bucket. */
    boolean isNative() {
      return !negativeDeltas.isEmpty()
          || !positiveDeltas.isEmpty()
          || zeroCount != 0
          || zeroThreshold > 0;
    }
  }

  static final class Metric {
    final List<Pair> labels = new ArrayList<>();
    double gauge;
    double counter;
    Exemplar counterExemplar;
    Summary summary;
    double untyped;
    Histogram histogram;
    long timestampMs;
  }

  String name = "";
  String help = "";
  int type;
  final List<Metric> metrics = new ArrayList<>();

  private ProtoFamily() {}

  /** Unmarshals one MetricFamily message from the cursor's bytes. */
  static ProtoFamily decode(ProtoWire in) {
    ProtoFamily f = new ProtoFamily();
    while (in.more()) {
      long key = in.tag("MetricFamily");
      switch (ProtoWire.field(key)) {
        case 1 -> f.name = string(in, key, "Name");
        case 2 -> f.help = string(in, key, "Help");
        case 3 -> {
          ProtoWire.expect(key, ProtoWire.VARINT, "Type");
          f.type = (int) in.varint();
        }
        case 4 -> {
          ProtoWire.expect(key, ProtoWire.LEN, "Metric");
          f.metrics.add(metric(in.message()));
        }
        default -> in.skip(key);
      }
    }
    return f;
  }

  private static Metric metric(ProtoWire in) {
    Metric m = new Metric();
    while (in.more()) {
      long key = in.tag("Metric");
      switch (ProtoWire.field(key)) {
        case 1 -> {
          ProtoWire.expect(key, ProtoWire.LEN, "Label");
          m.labels.add(pair(in.message()));
        }
        case 2 -> m.gauge = value(message(in, key, "Gauge"), "Gauge", m.gauge);
        case 3 -> counter(message(in, key, "Counter"), m);
        case 4 -> summary(message(in, key, "Summary"), m.summary = orNew(m.summary));
        case 5 -> m.untyped = value(message(in, key, "Untyped"), "Untyped", m.untyped);
        case 6 -> {
          ProtoWire.expect(key, ProtoWire.VARINT, "TimestampMs");
          m.timestampMs = in.varint();
        }
        case 7 -> histogram(message(in, key, "Histogram"), m.histogram = orNew(m.histogram));
        default -> in.skip(key);
      }
    }
    return m;
  }

  private static Summary orNew(Summary s) {
    return s != null ? s : new Summary();
  }

  private static Histogram orNew(Histogram h) {
    return h != null ? h : new Histogram();
  }

  private static Pair pair(ProtoWire in) {
    String name = "";
    String value = "";
    while (in.more()) {
      long key = in.tag("LabelPair");
      switch (ProtoWire.field(key)) {
        case 1 -> name = string(in, key, "Name");
        case 2 -> value = string(in, key, "Value");
        default -> in.skip(key);
      }
    }
    return new Pair(name, value);
  }

  /** The value field (1) of a Gauge or Untyped, merged into the one before. */
  private static double value(ProtoWire in, String message, double before) {
    double value = before;
    while (in.more()) {
      long key = in.tag(message);
      if (ProtoWire.field(key) == 1) {
        ProtoWire.expect(key, ProtoWire.FIXED64, "Value");
        value = in.fixed64();
      } else {
        in.skip(key);
      }
    }
    return value;
  }

  private static void counter(ProtoWire in, Metric m) {
    while (in.more()) {
      long key = in.tag("Counter");
      switch (ProtoWire.field(key)) {
        case 1 -> m.counter = fixed64(in, key, "Value");
        case 2 -> m.counterExemplar = exemplar(message(in, key, "Exemplar"), m.counterExemplar);
        default -> in.skip(key);
      }
    }
  }

  private static void summary(ProtoWire in, Summary s) {
    while (in.more()) {
      long key = in.tag("Summary");
      switch (ProtoWire.field(key)) {
        case 1 -> s.count = varint(in, key, "SampleCount");
        case 2 -> s.sum = fixed64(in, key, "SampleSum");
        case 3 -> {
          ProtoWire.expect(key, ProtoWire.LEN, "Quantile");
          ProtoWire q = in.message();
          double[] quantile = new double[2];
          while (q.more()) {
            long k = q.tag("Quantile");
            switch (ProtoWire.field(k)) {
              case 1 -> quantile[0] = fixed64(q, k, "Quantile");
              case 2 -> quantile[1] = fixed64(q, k, "Value");
              default -> q.skip(k);
            }
          }
          s.quantiles.add(quantile);
        }
        default -> in.skip(key);
      }
    }
  }

  private static void histogram(ProtoWire in, Histogram h) {
    while (in.more()) {
      long key = in.tag("Histogram");
      switch (ProtoWire.field(key)) {
        case 1 -> h.count = varint(in, key, "SampleCount");
        case 2 -> h.sum = fixed64(in, key, "SampleSum");
        case 3 -> {
          ProtoWire.expect(key, ProtoWire.LEN, "Bucket");
          h.buckets.add(bucket(in.message()));
        }
        case 4 -> h.countFloat = fixed64(in, key, "SampleCountFloat");
        case 5 -> h.schema = (int) ProtoWire.zigzag(varint(in, key, "Schema") & 0xffffffffL);
        case 6 -> h.zeroThreshold = fixed64(in, key, "ZeroThreshold");
        case 7 -> h.zeroCount = varint(in, key, "ZeroCount");
        case 8 -> h.zeroCountFloat = fixed64(in, key, "ZeroCountFloat");
        case 9 -> span(in, key, "NegativeSpan", h.negativeSpans);
        case 10 -> deltas(in, key, "NegativeDelta", h.negativeDeltas);
        case 11 -> counts(in, key, "NegativeCount", h.negativeCounts);
        case 12 -> span(in, key, "PositiveSpan", h.positiveSpans);
        case 13 -> deltas(in, key, "PositiveDelta", h.positiveDeltas);
        case 14 -> counts(in, key, "PositiveCount", h.positiveCounts);
        default -> in.skip(key);
      }
    }
  }

  private static Bucket bucket(ProtoWire in) {
    Bucket b = new Bucket();
    while (in.more()) {
      long key = in.tag("Bucket");
      switch (ProtoWire.field(key)) {
        case 1 -> b.cumulative = varint(in, key, "CumulativeCount");
        case 2 -> b.upperBound = fixed64(in, key, "UpperBound");
        case 3 -> b.exemplar = exemplar(message(in, key, "Exemplar"), b.exemplar);
        case 4 -> fixed64(in, key, "CumulativeCountFloat");
        default -> in.skip(key);
      }
    }
    return b;
  }

  private static void span(ProtoWire in, long key, String field, List<int[]> into) {
    ProtoWire.expect(key, ProtoWire.LEN, field);
    ProtoWire s = in.message();
    int[] span = new int[2];
    while (s.more()) {
      long k = s.tag("BucketSpan");
      switch (ProtoWire.field(k)) {
        case 1 -> span[0] = (int) ProtoWire.zigzag(varint(s, k, "Offset") & 0xffffffffL);
        case 2 -> span[1] = (int) varint(s, k, "Length");
        default -> s.skip(k);
      }
    }
    into.add(span);
  }

  /** A repeated sint64, packed or not, as gogo accepts both. */
  private static void deltas(ProtoWire in, long key, String field, List<Long> into) {
    if (ProtoWire.wireType(key) == ProtoWire.VARINT) {
      into.add(ProtoWire.zigzag(in.varint()));
      return;
    }
    if (ProtoWire.wireType(key) != ProtoWire.LEN) {
      throw new Malformed(
          "proto: wrong wireType = " + ProtoWire.wireType(key) + " for field " + field);
    }
    ProtoWire packed = in.message();
    while (packed.more()) {
      into.add(ProtoWire.zigzag(packed.varint()));
    }
  }

  /** A repeated double, packed or not. */
  private static void counts(ProtoWire in, long key, String field, List<Double> into) {
    if (ProtoWire.wireType(key) == ProtoWire.FIXED64) {
      into.add(in.fixed64());
      return;
    }
    if (ProtoWire.wireType(key) != ProtoWire.LEN) {
      throw new Malformed(
          "proto: wrong wireType = " + ProtoWire.wireType(key) + " for field " + field);
    }
    ProtoWire packed = in.message();
    while (packed.more()) {
      into.add(packed.fixed64());
    }
  }

  private static Exemplar exemplar(ProtoWire in, Exemplar before) {
    Exemplar e = before != null ? before : new Exemplar();
    while (in.more()) {
      long key = in.tag("Exemplar");
      switch (ProtoWire.field(key)) {
        case 1 -> {
          ProtoWire.expect(key, ProtoWire.LEN, "Label");
          e.labels.add(pair(in.message()));
        }
        case 2 -> e.value = fixed64(in, key, "Value");
        case 3 -> {
          ProtoWire t = message(in, key, "Timestamp");
          e.hasTimestamp = true;
          while (t.more()) {
            long k = t.tag("Timestamp");
            switch (ProtoWire.field(k)) {
              case 1 -> e.seconds = varint(t, k, "Seconds");
              case 2 -> e.nanos = (int) varint(t, k, "Nanos");
              default -> t.skip(k);
            }
          }
        }
        default -> in.skip(key);
      }
    }
    return e;
  }

  private static ProtoWire message(ProtoWire in, long key, String field) {
    ProtoWire.expect(key, ProtoWire.LEN, field);
    return in.message();
  }

  private static String string(ProtoWire in, long key, String field) {
    ProtoWire.expect(key, ProtoWire.LEN, field);
    return in.string();
  }

  private static long varint(ProtoWire in, long key, String field) {
    ProtoWire.expect(key, ProtoWire.VARINT, field);
    return in.varint();
  }

  private static double fixed64(ProtoWire in, long key, String field) {
    ProtoWire.expect(key, ProtoWire.FIXED64, field);
    return in.fixed64();
  }
}
