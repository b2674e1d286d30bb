package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.List;

/** A metric family being read: the last HELP, TYPE and UNIT given to its name, and its samples. */
final class FamilyBuilder {

  final String name;

  /** Null until a TYPE line sets it. */
  MetricType type;

  /** Null until a HELP line sets it. */
  String help;

  /** Null until a UNIT line sets it. */
  String unit;

  final List<Sample> samples = new ArrayList<>();

  FamilyBuilder(String name) {
    this.name = name;
  }

  MetricFamily build(Format format) {
    return new MetricFamily(
        name, type != null ? type : MetricType.untypedIn(format), help, unit, samples);
  }
}
