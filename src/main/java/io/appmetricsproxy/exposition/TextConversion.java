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
        Sample converted = toText(sample);
        if (converted != null) {
          samples.add(converted);
        }
      }
      families.add(
          new MetricFamily(family.name(), textType(family.type()), family.help(), null, samples));
    }
    return new Exposition(Format.TEXT, families);
  }

  /**
   * The text type for an OpenMetrics one: info and stateset are gauges, a gaugehistogram a
   * histogram (as client_golang's text encoder writes it, so that its TYPE line, and the metadata
   * Prometheus keeps from it, is not lost), unknown untyped.
   */
  static MetricType textType(MetricType type) {
    return switch (type) {
      case COUNTER, GAUGE, HISTOGRAM, SUMMARY -> type;
      case INFO, STATESET -> MetricType.GAUGE;
      case GAUGEHISTOGRAM -> MetricType.HISTOGRAM;
      case UNKNOWN, UNTYPED -> MetricType.UNTYPED;
    };
  }

  /**
   * The sample without exemplar, its timestamp as Prometheus' int64(seconds*1000); null (the sample
   * is left out) for a negative one, which Prometheus' text parser cannot read: without its
   * timestamp it would be stored at the time of the scrape.
   */
  private static Sample toText(Sample sample) {
    String timestamp = sample.timestamp();
    if (timestamp != null) {
      long millis = Numbers.secondsToMillis(timestamp);
      if (millis < 0) {
        return null;
      }
      timestamp = Long.toString(millis);
    }
    if (sample.exemplar() == null && sample.timestamp() == null) {
      return sample;
    }
    return new Sample(sample.name(), sample.labels(), sample.value(), timestamp, null);
  }
}
