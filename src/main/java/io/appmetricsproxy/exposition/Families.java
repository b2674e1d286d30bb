package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric families of a body being parsed, and the rules by which metadata lines and samples
 * join them.
 */
final class Families {

  private static final int MAX_SERIES_SHOWN = 80;

  private final Format format;
  private final Map<String, FamilyBuilder> byName = new LinkedHashMap<>();
  private final Map<String, FamilyBuilder> bySampleName = new HashMap<>();
  private final Set<SeriesKey> series;
  private final List<String> candidates = new ArrayList<>(4);
  private FamilyBuilder current;
  private String lastSampleName;
  private FamilyBuilder lastFamily;
  private String lastSuffix;

  /** Families of a body of about this many samples (only sizes the duplicate check). */
  Families(Format format, int expectedSamples) {
    this.format = format;
    this.series = new HashSet<>(Math.max(16, expectedSamples * 4 / 3));
  }

  /**
   * The family a HELP, TYPE or UNIT line names, created if new; in OpenMetrics it must be the
   * current one.
   */
  FamilyBuilder forMetadata(String name, String keyword, LineScanner at) {
    FamilyBuilder family = byName.get(name);
    if (family == null) {
      family = new FamilyBuilder(name);
      byName.put(name, family);
    } else if (format == Format.OPENMETRICS) {
      if (family != current) {
        throw at.error("metric family \"" + name + "\" is not contiguous");
      }
      if (!family.samples.isEmpty()) {
        throw at.error(keyword + " line for metric family \"" + name + "\" after its samples");
      }
    }
    current = family;
    return family;
  }

  /** Adds a sample to the family it belongs to, checking the rules of that family's type. */
  void add(Sample sample, LineScanner at) {
    FamilyBuilder family = forSample(sample.name(), at);
    MetricType type = family.effectiveType(format);
    String suffix = lastSuffix;
    if ((type == MetricType.HISTOGRAM || type == MetricType.GAUGEHISTOGRAM)
        && suffix.equals("_bucket")) {
      requireFloatLabel(sample, "le", "histogram bucket", at);
    } else if (type == MetricType.SUMMARY && suffix.isEmpty()) {
      requireFloatLabel(sample, "quantile", "summary sample", at);
    }
    if (sample.exemplar() != null && !exemplarAllowed(type, suffix)) {
      throw at.error(
          "exemplar on sample \""
              + sample.name()
              + "\" (only counter _total and histogram _bucket samples may have one)");
    }
    if (!series.add(new SeriesKey(sample))) {
      throw at.error("duplicate series " + describe(sample));
    }
    family.samples.add(sample);
  }

  List<MetricFamily> build() {
    List<MetricFamily> families = new ArrayList<>(byName.size());
    for (FamilyBuilder family : byName.values()) {
      families.add(family.build(format));
    }
    return families;
  }

  /**
   * The family of the sample name; also sets lastSuffix, the suffix by which the name belongs to
   * it.
   */
  private FamilyBuilder forSample(String name, LineScanner at) {
    boolean repeated = name.equals(lastSampleName);
    FamilyBuilder family = repeated ? lastFamily : bySampleName.get(name);
    if (family == null) {
      family = fitting(name, at);
      bySampleName.put(name, family);
    }
    if (family != current) {
      if (format == Format.OPENMETRICS) {
        throw at.error("metric family \"" + family.name + "\" is not contiguous");
      }
      current = family;
    }
    if (!repeated) {
      lastSampleName = name;
      lastFamily = family;
      lastSuffix = family.suffixOf(format, name);
    }
    return family;
  }

  /**
   * The current family if the name fits it, else an earlier one it fits, else a new untyped family.
   */
  private FamilyBuilder fitting(String name, LineScanner at) {
    if (current != null && current.suffixOf(format, name) != null) {
      return current;
    }
    candidates.clear();
    Names.candidateFamilies(name, candidates);
    for (String candidate : candidates) {
      FamilyBuilder family = byName.get(candidate);
      if (family != null && family.suffixOf(format, name) != null) {
        return family;
      }
    }
    FamilyBuilder clash = byName.get(name);
    if (clash != null) {
      throw at.error(
          "sample \""
              + name
              + "\" does not fit "
              + clash.effectiveType(format).keyword()
              + " family \""
              + name
              + "\"");
    }
    FamilyBuilder family = new FamilyBuilder(name);
    byName.put(name, family);
    current = family;
    return family;
  }

  private static void requireFloatLabel(Sample sample, String label, String what, LineScanner at) {
    String value = sample.label(label);
    if (value == null) {
      throw at.error(what + " \"" + sample.name() + "\" has no \"" + label + "\" label");
    }
    if (!Numbers.isFloat(value)) {
      throw at.error("invalid \"" + label + "\" value \"" + value + "\" (expected a float)");
    }
  }

  private static boolean exemplarAllowed(MetricType type, String suffix) {
    return switch (type) {
      case COUNTER -> suffix.equals("_total");
      case HISTOGRAM, GAUGEHISTOGRAM -> suffix.equals("_bucket");
      default -> false;
    };
  }

  private static String describe(Sample sample) {
    StringBuilder out = new StringBuilder(sample.name());
    if (!sample.labels().isEmpty()) {
      out.append('{');
      for (Label label : sample.labels()) {
        out.append(out.charAt(out.length() - 1) == '{' ? "" : ",");
        out.append(label.name()).append("=\"").append(Snippet.escaped(label.value())).append('"');
      }
      out.append('}');
    }
    return out.length() <= MAX_SERIES_SHOWN
        ? out.toString()
        : out.substring(0, MAX_SERIES_SHOWN) + "...";
  }
}
