package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.List;

/** A metric family being parsed: what its metadata lines said so far and its samples. */
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

  /** The suffix by which the sample name belongs to this family, or null if it does not. */
  String suffixOf(Format format, String sampleName) {
    return Names.suffixOf(format, type, name, sampleName);
  }

  /** This family's type as the format reads it: the TYPE line's, or the format's untyped. */
  MetricType effectiveType(Format format) {
    return type != null ? type : MetricType.untypedIn(format);
  }

  MetricFamily build(Format format) {
    return new MetricFamily(name, effectiveType(format), help, unit, samples);
  }
}
