package io.appmetricsproxy.exposition;

import io.appmetricsproxy.exposition.ProtoFamily.Histogram;
import io.appmetricsproxy.exposition.ProtoFamily.Metric;
import io.appmetricsproxy.exposition.ProtoFamily.Pair;
import io.appmetricsproxy.exposition.ProtoWire.Malformed;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a delimited protobuf body (length-prefixed io.prometheus.client.MetricFamily messages) and
 * fails where Prometheus 2.42's scrape fails on it: model/textparse/protobufparse.go (a length
 * varint over 5 bytes, a message longer than the rest, a message that does not unmarshal, an
 * invalid metric name, help or type, label name or value), scrape.go (a series without name or with
 * an invalid one) and the head appender (a label name twice, a native histogram whose spans and
 * buckets disagree, a negative bucket, more observations in buckets than its count).
 */
final class ProtobufReader {
  private ProtobufReader() {}

  /** The families of the body, those without metrics left out (Prometheus skips them unread). */
  static List<ProtoFamily> read(byte[] body) {
    List<ProtoFamily> families = new ArrayList<>();
    int pos = 0;
    int index = 0;
    while (pos < body.length) {
      index++;
      int start = pos;
      long length = 0;
      int varint = 0;
      while (true) {
        if (pos >= body.length || varint == 10) {
          throw invalid(index, start, "protobufparse: invalid varint encountered");
        }
        int c = body[pos++];
        length |= (long) (c & 0x7f) << (7 * varint++);
        if ((c & 0x80) == 0) {
          break;
        }
      }
      if (varint > 5) {
        throw invalid(index, start, "protobufparse: invalid varint encountered");
      }
      long total = varint + length;
      if (total > body.length - start) {
        throw invalid(
            index,
            start,
            "protobufparse: insufficient length of buffer, expected at least "
                + total
                + " bytes, got "
                + (body.length - start)
                + " bytes");
      }
      ProtoFamily family;
      try {
        family = ProtoFamily.decode(new ProtoWire(body, pos, pos + (int) length));
      } catch (Malformed e) {
        throw invalid(index, start, e.getMessage());
      }
      pos += (int) length;
      if (family.metrics.isEmpty()) {
        continue;
      }
      try {
        check(family);
      } catch (Malformed e) {
        throw invalid(index, start, e.getMessage());
      }
      families.add(family);
    }
    return families;
  }

  private static InvalidExpositionException invalid(int index, int offset, String reason) {
    return InvalidExpositionException.protobuf(index, offset, reason);
  }

  private static void check(ProtoFamily f) {
    if (f.name == null || !Names.isMetricName(f.name)) {
      throw new Malformed("invalid metric name: " + printable(f.name));
    }
    if (f.help == null) {
      throw new Malformed("invalid help for metric \"" + f.name + "\"");
    }
    if (f.type < ProtoFamily.COUNTER || f.type > ProtoFamily.GAUGE_HISTOGRAM) {
      throw new Malformed("unknown metric type for metric \"" + f.name + "\": " + f.type);
    }
    boolean histogram = f.type == ProtoFamily.HISTOGRAM || f.type == ProtoFamily.GAUGE_HISTOGRAM;
    boolean nativeHistograms = histogram && histogramOf(f.metrics.get(0)).isNative();
    for (Metric m : f.metrics) {
      for (Pair p : m.labels) {
        if (p.name() == null || !Names.isLabelName(p.name())) {
          throw new Malformed("invalid label name: " + printable(p.name()));
        }
        if (p.value() == null) {
          throw new Malformed("invalid label value: (not UTF-8)");
        }
      }
      if (nativeHistograms) {
        series(f.name, m, null);
        checkNative(histogramOf(m));
      } else if (f.type == ProtoFamily.SUMMARY) {
        series(f.name + "_count", m, null);
        if (m.summary != null && !m.summary.quantiles.isEmpty()) {
          series(f.name, m, "quantile");
        }
      } else if (histogram && f.type == ProtoFamily.HISTOGRAM) {
        series(f.name + "_count", m, null);
        series(f.name + "_bucket", m, "le");
      } else {
        series(f.name, m, histogram ? "le" : null);
      }
    }
  }

  static Histogram histogramOf(Metric m) {
    return m.histogram != null ? m.histogram : new Histogram();
  }

  /**
   * The checks of one series' labels after scrape.go's label builder: a name given an empty value
   * is dropped with all its values, then the name must be there and valid and no name twice.
   */
  private static void series(String name, Metric m, String magic) {
    List<String> names = new ArrayList<>(m.labels.size() + 2);
    List<String> values = new ArrayList<>(m.labels.size() + 2);
    names.add("__name__");
    values.add(name);
    for (Pair p : m.labels) {
      names.add(p.name());
      values.add(p.value());
    }
    if (magic != null) {
      names.add(magic);
      values.add("0");
    }
    List<String> kept = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      boolean emptySomewhere = false;
      for (int j = 0; j < names.size(); j++) {
        emptySomewhere |= names.get(j).equals(n) && values.get(j).isEmpty();
      }
      if (emptySomewhere) {
        continue;
      }
      if (n.equals("__name__") && !Names.isMetricName(values.get(i))) {
        throw new Malformed("invalid metric name or label names: " + name);
      }
      if (kept.contains(n)) {
        throw new Malformed("label name \"" + n + "\" is not unique: invalid sample");
      }
      kept.add(n);
    }
    if (!kept.contains("__name__")) {
      throw new Malformed("missing metric name (__name__ label)");
    }
  }

  /** tsdb's ValidateHistogram and ValidateFloatHistogram of 2.42. */
  private static void checkNative(Histogram h) {
    boolean isFloat = h.countFloat > 0 || h.zeroCountFloat > 0;
    int negative = isFloat ? h.negativeCounts.size() : h.negativeDeltas.size();
    int positive = isFloat ? h.positiveCounts.size() : h.positiveDeltas.size();
    spans("negative side", h.negativeSpans, negative);
    spans("positive side", h.positiveSpans, positive);
    if (isFloat) {
      double n = floatBuckets("negative side", h.negativeCounts);
      double p = floatBuckets("positive side", h.positiveCounts);
      if (n + p > h.countFloat) {
        throw new Malformed(
            String.format(
                "%f observations found in buckets, but the Count field is %f: histogram's"
                    + " observation count should be at least the number of observations found in"
                    + " the buckets",
                n + p, h.countFloat));
      }
      return;
    }
    long n = intBuckets("negative side", h.negativeDeltas);
    long p = intBuckets("positive side", h.positiveDeltas);
    if (Long.compareUnsigned(n + p, h.count) > 0) {
      throw new Malformed(
          Long.toUnsignedString(n + p)
              + " observations found in buckets, but the Count field is "
              + Long.toUnsignedString(h.count)
              + ": histogram's observation count should be at least the number of observations"
              + " found in the buckets");
    }
  }

  private static void spans(String side, List<int[]> spans, int buckets) {
    long need = 0;
    for (int i = 0; i < spans.size(); i++) {
      int[] span = spans.get(i);
      if (i > 0 && span[0] < 0) {
        throw new Malformed(
            side
                + ": span number "
                + (i + 1)
                + " with offset "
                + span[0]
                + ": histogram has a span whose offset is negative");
      }
      need += Integer.toUnsignedLong(span[1]);
    }
    if (need != buckets) {
      throw new Malformed(
          side
              + ": spans need "
              + need
              + " buckets, have "
              + buckets
              + " buckets: histogram spans specify different number of buckets than provided");
    }
  }

  private static long intBuckets(String side, List<Long> deltas) {
    long last = 0;
    long total = 0;
    for (int i = 0; i < deltas.size(); i++) {
      long c = last + deltas.get(i);
      if (c < 0) {
        throw new Malformed(negativeBucket(side, i, Long.toString(c)));
      }
      last = c;
      total += c;
    }
    return total;
  }

  private static double floatBuckets(String side, List<Double> counts) {
    double total = 0;
    for (int i = 0; i < counts.size(); i++) {
      double c = counts.get(i);
      if (c < 0) {
        throw new Malformed(negativeBucket(side, i, Numbers.goFloat(c)));
      }
      total += c;
    }
    return total;
  }

  private static String negativeBucket(String side, int i, String count) {
    return side
        + ": bucket number "
        + (i + 1)
        + " has observation count of "
        + count
        + ": histogram has a bucket whose observation count is negative";
  }

  private static String printable(String s) {
    return s == null ? "(not UTF-8)" : Snippet.of(s);
  }
}
