package io.appmetricsproxy.exposition;

import java.util.List;

/**
 * The identity of a series, its sample name and label set: label order does not matter, so nothing
 * is sorted.
 */
final class SeriesKey {

  private final String name;
  private final List<Label> labels;
  private final int hash;

  SeriesKey(Sample sample) {
    this.name = sample.name();
    this.labels = sample.labels();
    int labelsHash = 0;
    for (Label label : labels) {
      labelsHash += label.hashCode();
    }
    this.hash = 31 * name.hashCode() + labelsHash;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesKey other
        && hash == other.hash
        && name.equals(other.name)
        && labels.size() == other.labels.size()
        && other.labels.containsAll(labels);
  }
}
