package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts an OpenMetrics exposition to the text format so that a text reader stores the series
 * Prometheus stores from the OpenMetrics: the same families, names and samples (_created ones too);
 * the types the text format lacks become the nearest it has; UNIT and exemplars are dropped;
 * timestamps become the milliseconds Prometheus computes.
 */
final class TextConversion {

  private TextConversion() {}

  /** The exposition in the text format; a TEXT one is returned as it is. */
  static Exposition toText(Exposition exposition) {
    if (exposition.format() == Format.TEXT) {
      return exposition;
    }
    List<MetricFamily> families = new ArrayList<>(exposition.families().size());
    for (MetricFamily family : exposition.families()) {
      List<Sample> samples = new ArrayList<>(family.samples().size());
      for (Sample sample : family.samples()) {
        samples.add(toText(sample));
      }
      families.add(
          new MetricFamily(family.name(), textType(family.type()), family.help(), null, samples));
    }
    return new Exposition(Format.TEXT, families);
  }

  /** The text type for an OpenMetrics one: info and stateset are gauges, the rest untyped. */
  static MetricType textType(MetricType type) {
    return switch (type) {
      case COUNTER, GAUGE, HISTOGRAM, SUMMARY -> type;
      case INFO, STATESET -> MetricType.GAUGE;
      case UNKNOWN, GAUGEHISTOGRAM, UNTYPED -> MetricType.UNTYPED;
    };
  }

  /**
   * The sample without exemplar, its timestamp as Prometheus' int64(seconds*1000); dropped if
   * negative, which the text format cannot write.
   */
  private static Sample toText(Sample sample) {
    String timestamp = sample.timestamp();
    if (timestamp != null) {
      long millis = Numbers.secondsToMillis(timestamp);
      timestamp = millis < 0 ? null : Long.toString(millis);
    }
    if (timestamp == null && sample.exemplar() == null && sample.timestamp() == null) {
      return sample;
    }
    return new Sample(sample.name(), sample.labels(), sample.value(), timestamp, null);
  }
}
