package io.appmetricsproxy.exposition;

import java.util.List;

/** Character rules of names and which sample names belong to a metric family of a given type. */
final class Names {

  private static final List<String> NO_SUFFIXES = List.of("");
  private static final List<String> TEXT_HISTOGRAM = List.of("_bucket", "_sum", "_count");
  private static final List<String> TEXT_SUMMARY = List.of("", "_sum", "_count");
  private static final List<String> OM_COUNTER = List.of("_total", "_created");
  private static final List<String> OM_HISTOGRAM = List.of("_bucket", "_sum", "_count", "_created");
  private static final List<String> OM_GAUGEHISTOGRAM = List.of("_bucket", "_gsum", "_gcount");
  private static final List<String> OM_SUMMARY = List.of("", "_sum", "_count", "_created");
  private static final List<String> OM_INFO = List.of("_info");

  /** Every suffix any family type may add to its name. */
  private static final List<String> ALL_SUFFIXES =
      List.of("_total", "_created", "_bucket", "_gcount", "_count", "_gsum", "_sum", "_info");

  private Names() {}

  static boolean isMetricNameStart(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  static boolean isMetricNamePart(int c) {
    return isMetricNameStart(c) || (c >= '0' && c <= '9');
  }

  static boolean isLabelNameStart(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isLabelNamePart(int c) {
    return isLabelNameStart(c) || (c >= '0' && c <= '9');
  }

  static boolean isMetricName(String s) {
    if (s.isEmpty() || !isMetricNameStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!isMetricNamePart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isLabelName(String s) {
    if (s.isEmpty() || !isLabelNameStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!isLabelNamePart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The suffixes the sample names of a family of this type add to the family name ("" = the name
   * itself).
   */
  static List<String> suffixes(Format format, MetricType type) {
    if (type == null) {
      return NO_SUFFIXES;
    }
    boolean text = format == Format.TEXT;
    return switch (type) {
      case COUNTER -> text ? NO_SUFFIXES : OM_COUNTER;
      case HISTOGRAM -> text ? TEXT_HISTOGRAM : OM_HISTOGRAM;
      case SUMMARY -> text ? TEXT_SUMMARY : OM_SUMMARY;
      case GAUGEHISTOGRAM -> OM_GAUGEHISTOGRAM;
      case INFO -> OM_INFO;
      case GAUGE, UNTYPED, UNKNOWN, STATESET -> NO_SUFFIXES;
    };
  }

  /**
   * The suffix by which a sample name belongs to the family, or null if it does not belong to it.
   */
  static String suffixOf(Format format, MetricType type, String family, String sampleName) {
    if (!sampleName.startsWith(family)) {
      return null;
    }
    int familyLength = family.length();
    for (String suffix : suffixes(format, type)) {
      if (sampleName.length() == familyLength + suffix.length() && sampleName.endsWith(suffix)) {
        return suffix;
      }
    }
    return null;
  }

  /**
   * The family names a sample name could belong to: itself, then itself without each known suffix.
   */
  static void candidateFamilies(String sampleName, List<String> into) {
    into.add(sampleName);
    for (String suffix : ALL_SUFFIXES) {
      if (sampleName.length() > suffix.length() && sampleName.endsWith(suffix)) {
        into.add(sampleName.substring(0, sampleName.length() - suffix.length()));
      }
    }
  }
}
