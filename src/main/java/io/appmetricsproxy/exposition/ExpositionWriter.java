package io.appmetricsproxy.exposition;

import java.util.List;
import java.util.Objects;

/**
 * Writes an exposition in canonical form: HELP, TYPE (and UNIT) lines, then samples; OpenMetrics
 * ends in # EOF.
 */
public final class ExpositionWriter {

  private static final int BYTES_PER_SAMPLE = 96;

  private ExpositionWriter() {}

  /**
   * Writes the exposition in the target format as UTF-8, so that Prometheus reading it stores what
   * it stored reading the original. An OpenMetrics exposition written as TEXT keeps its families
   * and sample names; info and stateset become gauges, gaugehistogram histogram and unknown
   * untyped; UNIT and exemplars are dropped, timestamps become the milliseconds Prometheus computes
   * and a sample with a negative one is left out.
   *
   * @throws IllegalArgumentException if a TEXT exposition is to be written as OPENMETRICS
   */
  public static byte[] write(Exposition exposition, Format target) {
    Objects.requireNonNull(exposition, "exposition");
    Objects.requireNonNull(target, "target");
    if (exposition.format() == Format.TEXT && target == Format.OPENMETRICS) {
      throw new IllegalArgumentException(
          "writing a TEXT exposition as OPENMETRICS is not supported");
    }
    Exposition source = target == Format.TEXT ? TextConversion.toText(exposition) : exposition;
    ByteSink out = new ByteSink(source.sampleCount() * BYTES_PER_SAMPLE);
    boolean openMetrics = target == Format.OPENMETRICS;
    for (MetricFamily family : source.families()) {
      writeMetadata(out, family, openMetrics);
      for (Sample sample : family.samples()) {
        writeSample(out, sample);
      }
    }
    if (openMetrics) {
      out.append("# EOF\n");
    }
    return out.toByteArray();
  }

  private static void writeMetadata(ByteSink out, MetricFamily family, boolean openMetrics) {
    String name = family.name();
    if (family.help() != null) {
      out.append("# HELP ")
          .append(name)
          .append(' ')
          .appendEscaped(family.help(), openMetrics)
          .append('\n');
    }
    if (writesType(family)) {
      out.append("# TYPE ").append(name).append(' ').append(family.type().keyword()).append('\n');
    }
    if (openMetrics && family.unit() != null) {
      out.append("# UNIT ").append(name).append(' ').append(family.unit()).append('\n');
    }
  }

  /**
   * Whether a TYPE line is written: not for an untyped family (Prometheus keeps no metadata for a
   * name without lines), unless the family is nothing but that line.
   */
  private static boolean writesType(MetricFamily family) {
    MetricType type = family.type();
    return (type != MetricType.UNTYPED && type != MetricType.UNKNOWN)
        || (family.samples().isEmpty() && family.help() == null && family.unit() == null);
  }

  private static void writeSample(ByteSink out, Sample sample) {
    out.append(sample.name());
    List<Label> labels = sample.labels();
    if (!labels.isEmpty()) {
      out.append('{');
      for (int i = 0; i < labels.size(); i++) {
        Label label = labels.get(i);
        if (i > 0) {
          out.append(',');
        }
        out.append(label.name()).append("=\"").appendEscaped(label.value(), true).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(sample.value());
    if (sample.timestamp() != null) {
      out.append(' ').append(sample.timestamp());
    }
    if (sample.exemplar() != null) {
      out.append(" # ").append(sample.exemplar());
    }
    out.append('\n');
  }
}
