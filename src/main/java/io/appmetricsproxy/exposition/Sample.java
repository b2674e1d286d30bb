package io.appmetricsproxy.exposition;

import java.util.List;
import java.util.Objects;

/**
 * One sample line; value, timestamp and exemplar (the text after " # ") are raw as written, the
 * last two nullable.
 */
public record Sample(
    String name, List<Label> labels, String value, String timestamp, String exemplar) {

  public Sample {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    labels = List.copyOf(labels);
    if (!Names.isMetricName(name)) {
      throw new IllegalArgumentException("invalid metric name \"" + name + "\"");
    }
    if (!Numbers.isFloat(value)) {
      throw new IllegalArgumentException("invalid value \"" + value + "\" of sample " + name);
    }
    if (timestamp != null && !Numbers.isFloat(timestamp)) {
      throw new IllegalArgumentException(
          "invalid timestamp \"" + timestamp + "\" of sample " + name);
    }
    if (exemplar != null && (exemplar.isEmpty() || exemplar.indexOf('\n') >= 0)) {
      throw new IllegalArgumentException("invalid exemplar of sample " + name);
    }
    requireDistinctNames(name, labels);
  }

  /** The value of the label with this name, or null. */
  String label(String labelName) {
    for (Label label : labels) {
      if (label.name().equals(labelName)) {
        return label.value();
      }
    }
    return null;
  }

  private static void requireDistinctNames(String name, List<Label> labels) {
    for (int i = 1; i < labels.size(); i++) {
      String labelName = labels.get(i).name();
      for (int j = 0; j < i; j++) {
        if (labels.get(j).name().equals(labelName)) {
          throw new IllegalArgumentException(
              "duplicate label \"" + labelName + "\" in sample " + name);
        }
      }
    }
  }
}
