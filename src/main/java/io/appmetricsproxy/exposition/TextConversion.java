package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts an OpenMetrics exposition to the text format as client_java does (counter x becomes
 * x_total etc.).
 */
final class TextConversion {

  private final Map<String, Part> parts = new LinkedHashMap<>();

  private TextConversion() {}

  /** The exposition in the text format; a TEXT one is returned as it is. */
  static Exposition toText(Exposition exposition) {
    if (exposition.format() == Format.TEXT) {
      return exposition;
    }
    TextConversion conversion = new TextConversion();
    exposition.families().forEach(conversion::convert);
    List<MetricFamily> families = new ArrayList<>(conversion.parts.size());
    for (Part part : conversion.parts.values()) {
      families.add(new MetricFamily(part.name, part.type, part.help, null, part.samples));
    }
    return new Exposition(Format.TEXT, families);
  }

  private void convert(MetricFamily family) {
    String name = family.name();
    switch (family.type()) {
      case COUNTER -> {
        add(family, name + "_total", MetricType.COUNTER, "_total", true);
        add(family, name + "_created", MetricType.GAUGE, "_created", false);
      }
      case HISTOGRAM, SUMMARY -> {
        add(family, name, family.type(), null, true);
        add(family, name + "_created", MetricType.GAUGE, "_created", false);
      }
      case GAUGE, STATESET -> add(family, name, MetricType.GAUGE, null, true);
      case INFO -> add(family, name + "_info", MetricType.GAUGE, null, true);
      case UNKNOWN -> add(family, name, MetricType.UNTYPED, null, true);
      case GAUGEHISTOGRAM -> {
        add(family, name + "_bucket", MetricType.UNTYPED, "_bucket", false);
        add(family, name + "_gsum", MetricType.UNTYPED, "_gsum", false);
        add(family, name + "_gcount", MetricType.UNTYPED, "_gcount", false);
      }
      default -> throw new IllegalArgumentException("type " + family.type() + " in OpenMetrics");
    }
  }

  /**
   * Adds the family's samples named family + suffix (null: all but _created ones) as the text
   * family name. Kept even without samples if always is set. A name already converted with another
   * type is skipped.
   */
  private void add(
      MetricFamily family, String name, MetricType type, String suffix, boolean always) {
    List<Sample> samples = new ArrayList<>();
    for (Sample sample : family.samples()) {
      String sampleSuffix = sample.name().substring(family.name().length());
      if (suffix == null ? !sampleSuffix.equals("_created") : sampleSuffix.equals(suffix)) {
        samples.add(toText(sample));
      }
    }
    if (samples.isEmpty() && !always) {
      return;
    }
    Part part = parts.computeIfAbsent(name, n -> new Part(n, type));
    if (part.type == type) {
      part.help = part.help != null ? part.help : family.help();
      part.samples.addAll(samples);
    }
  }

  /**
   * The sample without exemplar and with its timestamp in milliseconds (dropped if before 1970).
   */
  private static Sample toText(Sample sample) {
    String timestamp = sample.timestamp();
    if (timestamp != null) {
      timestamp = Numbers.secondsToMillis(timestamp);
      timestamp = timestamp.startsWith("-") ? null : timestamp;
    }
    return new Sample(sample.name(), sample.labels(), sample.value(), timestamp, null);
  }

  /** A text family being collected. */
  private static final class Part {
    final String name;
    final MetricType type;
    String help;
    final List<Sample> samples = new ArrayList<>();

    Part(String name, MetricType type) {
      this.name = name;
      this.type = type;
    }
  }
}
