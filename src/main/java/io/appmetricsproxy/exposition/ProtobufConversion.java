package io.appmetricsproxy.exposition;

import io.appmetricsproxy.exposition.ProtoFamily.Bucket;
import io.appmetricsproxy.exposition.ProtoFamily.Exemplar;
import io.appmetricsproxy.exposition.ProtoFamily.Histogram;
import io.appmetricsproxy.exposition.ProtoFamily.Metric;
import io.appmetricsproxy.exposition.ProtoFamily.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts checked protobuf families to OpenMetrics or text so that a client without protobuf
 * stores the series (and, in text, the metadata) Prometheus 2.42 stores from the protobuf, but for
 * native histograms: a histogram with classic buckets becomes them; one with native buckets alone
 * becomes its count, sum and +Inf bucket, as its application writes it in text (named by {@link
 * #nativeOnly}: its buckets only protobuf carries). In OpenMetrics, exemplars on counters and
 * buckets are kept, and a counter's family is named without its _total; created timestamps, which
 * 2.42 does not read from protobuf, are not written.
 */
final class ProtobufConversion {

  private static final String TOTAL = "_total";

  private final Format target;
  private final boolean text;
  private final Map<String, MetricFamily> families = new LinkedHashMap<>();

  private ProtobufConversion(Format target) {
    this.target = target;
    this.text = target == Format.TEXT;
  }

  static Exposition toOpenMetrics(List<ProtoFamily> protoFamilies) {
    return convert(protoFamilies, Format.OPENMETRICS);
  }

  /** The families as an exposition in {@code target}, TEXT or OPENMETRICS. */
  static Exposition convert(List<ProtoFamily> protoFamilies, Format target) {
    ProtobufConversion c = new ProtobufConversion(target);
    for (ProtoFamily f : protoFamilies) {
      c.add(f);
    }
    return new Exposition(target, List.copyOf(c.families.values()));
  }

  /**
   * The names of the histogram families (one per message, in order) with native buckets and no
   * classic bucket in any metric: of those a client without protobuf gets the count, sum and +Inf
   * bucket only.
   */
  static List<String> nativeOnly(List<ProtoFamily> protoFamilies) {
    List<String> names = new ArrayList<>();
    for (ProtoFamily f : protoFamilies) {
      if ((f.type == ProtoFamily.HISTOGRAM || f.type == ProtoFamily.GAUGE_HISTOGRAM)
          && ProtobufReader.histogramOf(f.metrics.get(0)).isNative()
          && f.metrics.stream().allMatch(m -> ProtobufReader.histogramOf(m).buckets.isEmpty())) {
        names.add(f.name);
      }
    }
    return names;
  }

  private void add(ProtoFamily f) {
    List<Sample> samples = new ArrayList<>();
    String name = f.name;
    MetricType type;
    switch (f.type) {
      case ProtoFamily.COUNTER -> {
        boolean total = name.endsWith(TOTAL) && name.length() > TOTAL.length();
        type = text || total ? MetricType.COUNTER : MetricType.UNKNOWN;
        for (Metric m : f.metrics) {
          samples.add(sample(name, labels(m), m.counter, m, total ? m.counterExemplar : null));
        }
        name = total && !text ? name.substring(0, name.length() - TOTAL.length()) : name;
      }
      case ProtoFamily.GAUGE, ProtoFamily.UNTYPED -> {
        type = f.type == ProtoFamily.GAUGE ? MetricType.GAUGE : MetricType.untypedIn(target);
        for (Metric m : f.metrics) {
          double v = f.type == ProtoFamily.GAUGE ? m.gauge : m.untyped;
          samples.add(sample(name, labels(m), v, m, null));
        }
      }
      case ProtoFamily.SUMMARY -> {
        type = MetricType.SUMMARY;
        for (Metric m : f.metrics) {
          summary(name, m, samples);
        }
      }
      default -> {
        boolean gauge = f.type == ProtoFamily.GAUGE_HISTOGRAM && !text;
        type = gauge ? MetricType.GAUGEHISTOGRAM : MetricType.HISTOGRAM;
        for (Metric m : f.metrics) {
          histogram(name, m, ProtobufReader.histogramOf(m), gauge, samples);
        }
      }
    }
    String help = f.help.isEmpty() ? null : f.help;
    MetricFamily before = families.get(name);
    if (before != null) { // a second message of the name: one family, the first one's metadata
      List<Sample> all = new ArrayList<>(before.samples());
      all.addAll(samples);
      families.put(name, new MetricFamily(name, before.type(), before.help(), null, all));
    } else {
      families.put(name, new MetricFamily(name, type, help, null, samples));
    }
  }

  private void summary(String name, Metric m, List<Sample> into) {
    List<Label> labels = labels(m);
    ProtoFamily.Summary s = m.summary != null ? m.summary : new ProtoFamily.Summary();
    for (double[] q : s.quantiles) {
      into.add(sample(name, with(labels, "quantile", openMetricsFloat(q[0])), q[1], m, null));
    }
    into.add(sample(name + "_sum", labels, s.sum, m, null));
    into.add(count(name + "_count", labels, s.count, m));
  }

  /** The classic buckets as Prometheus reads them: up to the first +Inf, else one added. */
  private void histogram(String name, Metric m, Histogram h, boolean gauge, List<Sample> into) {
    List<Label> labels = labels(m);
    boolean infinity = false;
    for (Bucket b : h.buckets) {
      List<Label> le = with(labels, "le", openMetricsFloat(b.upperBound));
      into.add(
          new Sample(
              name + "_bucket",
              le,
              Long.toUnsignedString(b.cumulative),
              timestamp(m),
              exemplar(b.exemplar)));
      if (b.upperBound == Double.POSITIVE_INFINITY) {
        infinity = true;
        break;
      }
    }
    if (!infinity) {
      into.add(count(name + "_bucket", with(labels, "le", "+Inf"), h.count, m));
    }
    into.add(sample(name + (gauge ? "_gsum" : "_sum"), labels, h.sum, m, null));
    into.add(count(name + (gauge ? "_gcount" : "_count"), labels, h.count, m));
  }

  private Sample sample(String name, List<Label> labels, double value, Metric m, Exemplar e) {
    return new Sample(name, labels, Numbers.goFloat(value), timestamp(m), exemplar(e));
  }

  private Sample count(String name, List<Label> labels, long count, Metric m) {
    return new Sample(name, labels, Long.toUnsignedString(count), timestamp(m), null);
  }

  private String timestamp(Metric m) {
    if (m.timestampMs == 0) {
      return null;
    }
    return text ? Long.toString(m.timestampMs) : Numbers.millisToSeconds(m.timestampMs);
  }

  /**
   * The labels Prometheus stores: a name given an empty value anywhere is dropped with all its
   * values (checked before: no name twice after that).
   */
  private static List<Label> labels(Metric m) {
    List<Label> labels = new ArrayList<>(m.labels.size() + 1);
    for (Pair p : m.labels) {
      boolean empty = false;
      for (Pair q : m.labels) {
        empty |= q.name().equals(p.name()) && q.value().isEmpty();
      }
      if (!empty) {
        labels.add(new Label(p.name(), p.value()));
      }
    }
    return labels;
  }

  private static List<Label> with(List<Label> labels, String name, String value) {
    List<Label> with = new ArrayList<>(labels.size() + 1);
    with.addAll(labels);
    with.add(new Label(name, value));
    return with;
  }

  /** Prometheus' formatOpenMetricsFloat: Go's form, ".0" added where it has no point. */
  static String openMetricsFloat(double f) {
    String s = Numbers.goFloat(f);
    if (Double.isNaN(f) || Double.isInfinite(f) || s.indexOf('.') >= 0 || s.indexOf('e') >= 0) {
      return s;
    }
    return s + ".0";
  }

  /**
   * The exemplar as written after " # ", or null where it has none, one not writable, or the target
   * is text.
   */
  private String exemplar(Exemplar e) {
    if (e == null || text) {
      return null;
    }
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < e.labels.size(); i++) {
      Pair p = e.labels.get(i);
      if (p.name() == null || p.value() == null || !Names.isLabelName(p.name())) {
        return null;
      }
      out.append(i > 0 ? "," : "").append(p.name()).append("=\"");
      escape(p.value(), out);
      out.append('"');
    }
    out.append("} ").append(Numbers.goFloat(e.value));
    if (e.hasTimestamp) {
      long millis = e.seconds * 1000 + e.nanos / 1_000_000;
      out.append(' ').append(Numbers.millisToSeconds(millis));
    }
    return out.toString();
  }

  private static void escape(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
