package io.appmetricsproxy.exposition;

import java.util.List;
import java.util.Objects;

/**
 * A metric family: its name, type, unescaped HELP text and UNIT (both nullable) and its samples in
 * order.
 */
public record MetricFamily(
    String name, MetricType type, String help, String unit, List<Sample> samples) {

  public MetricFamily {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    samples = List.copyOf(samples);
    if (!Names.isMetricName(name)) {
      throw new IllegalArgumentException("invalid metric family name \"" + name + "\"");
    }
    if (unit != null && !unit.isEmpty() && !(name.endsWith(unit) && name.endsWith("_" + unit))) {
      throw new IllegalArgumentException(
          "unit \"" + unit + "\" is not a suffix of metric family " + name);
    }
    String checkedName = null;
    for (Sample sample : samples) {
      String sampleName = sample.name();
      if (sampleName != checkedName) { // identity: parsed samples of one name share one string
        if (!sampleName.startsWith(name)) {
          throw new IllegalArgumentException(
              "sample " + sampleName + " is not of metric family " + name);
        }
        checkedName = sampleName;
      }
    }
  }
}
