package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric families of a body being read, as Prometheus keeps them: per name the last HELP, TYPE
 * and UNIT; every sample in order, except one repeating a series and timestamp already seen (the
 * head appender keeps the first); each sample in the family of its name, or of the name without the
 * suffix the family's type gives it.
 */
final class Families {

  /** Typical bytes per sample line, to size the duplicate-series check. */
  private static final int BYTES_PER_SAMPLE_GUESS = 80;

  private static final Object NO_TIMESTAMP = new Object();

  private final Format format;
  private final Map<String, FamilyBuilder> byName = new LinkedHashMap<>();
  private final Map<String, FamilyBuilder> bySampleName = new HashMap<>();
  private final Map<SeriesKey, Object> timestamps;
  private final List<String> candidates = new ArrayList<>(4);
  private String lastSampleName;
  private FamilyBuilder lastFamily;

  /** Families of a body of this many bytes (only sizes the duplicate check). */
  Families(Format format, int bodyBytes) {
    this.format = format;
    this.timestamps = new HashMap<>(Math.max(16, bodyBytes / BYTES_PER_SAMPLE_GUESS * 4 / 3));
  }

  void help(String name, String help) {
    withMetadata(name).help = help;
  }

  void type(String name, MetricType type) {
    withMetadata(name).type = type;
  }

  void unit(String name, String unit) {
    withMetadata(name).unit = unit;
  }

  /** Adds a sample unless its series had a sample of the same timestamp (or none) before. */
  void add(Sample sample, boolean hasTimestamp, long millis) {
    Object time = hasTimestamp ? (Object) millis : NO_TIMESTAMP;
    SeriesKey key = new SeriesKey(sample);
    Object seen = timestamps.putIfAbsent(key, time);
    if (seen != null && !firstAt(key, seen, time)) {
      return;
    }
    forSample(sample.name()).samples.add(sample);
  }

  /** Whether the series, seen before at {@code seen}, gets its first sample at {@code time}. */
  @SuppressWarnings("unchecked")
  private boolean firstAt(SeriesKey key, Object seen, Object time) {
    if (seen instanceof Set<?> set) {
      return ((Set<Object>) set).add(time);
    }
    if (seen.equals(time)) {
      return false;
    }
    Set<Object> times = new HashSet<>();
    times.add(seen);
    times.add(time);
    timestamps.put(key, times);
    return true;
  }

  List<MetricFamily> build() {
    List<MetricFamily> families = new ArrayList<>(byName.size());
    for (FamilyBuilder family : byName.values()) {
      families.add(family.build(format));
    }
    return families;
  }

  private FamilyBuilder withMetadata(String name) {
    return byName.computeIfAbsent(name, FamilyBuilder::new);
  }

  private FamilyBuilder forSample(String name) {
    if (name.equals(lastSampleName)) {
      return lastFamily;
    }
    FamilyBuilder family = bySampleName.get(name);
    if (family == null) {
      family = fitting(name);
      bySampleName.put(name, family);
    }
    lastSampleName = name;
    lastFamily = family;
    return family;
  }

  /**
   * The family of the name itself, else the family whose type gives the name's suffix (x for
   * x_total of a counter), else a new one.
   */
  private FamilyBuilder fitting(String name) {
    FamilyBuilder own = byName.get(name);
    if (own != null) {
      return own;
    }
    candidates.clear();
    Names.candidateFamilies(name, candidates);
    for (int k = 1; k < candidates.size(); k++) {
      FamilyBuilder family = byName.get(candidates.get(k));
      if (family != null && Names.suffixOf(format, family.type, family.name, name) != null) {
        return family;
      }
    }
    FamilyBuilder family = new FamilyBuilder(name);
    byName.put(name, family);
    return family;
  }
}
