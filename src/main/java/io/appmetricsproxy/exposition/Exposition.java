package io.appmetricsproxy.exposition;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A whole exposition: its format and its metric families, each named once, in order. As in
 * Prometheus, a family's type does not constrain its samples' names or labels.
 */
public record Exposition(Format format, List<MetricFamily> families) {

  public Exposition {
    Objects.requireNonNull(format, "format");
    families = List.copyOf(families);
    Set<String> names = new HashSet<>();
    for (MetricFamily family : families) {
      if (!names.add(family.name())) {
        throw new IllegalArgumentException("second metric family named " + family.name());
      }
      if (!family.type().allowedIn(format)) {
        throw new IllegalArgumentException(
            "type "
                + family.type().keyword()
                + " of metric family "
                + family.name()
                + " does not exist in "
                + format);
      }
      if (format == Format.TEXT && family.unit() != null) {
        throw new IllegalArgumentException(
            "metric family " + family.name() + " has a UNIT in TEXT");
      }
      for (Sample sample : family.samples()) {
        requireFormat(format, sample);
      }
    }
  }

  /** The number of samples of all families. */
  public int sampleCount() {
    int count = 0;
    for (MetricFamily family : families) {
      count += family.samples().size();
    }
    return count;
  }

  private static void requireFormat(Format format, Sample sample) {
    if (format == Format.TEXT) {
      if (sample.exemplar() != null) {
        throw new IllegalArgumentException("exemplar of sample " + sample.name() + " in TEXT");
      }
      if (sample.timestamp() != null && !Numbers.isMillis(sample.timestamp())) {
        throw new IllegalArgumentException(
            "timestamp of sample " + sample.name() + " is not milliseconds");
      }
    } else if (sample.timestamp() != null && !Numbers.isFinite(sample.timestamp())) {
      throw new IllegalArgumentException(
          "timestamp of sample " + sample.name() + " is out of range");
    }
  }
}
