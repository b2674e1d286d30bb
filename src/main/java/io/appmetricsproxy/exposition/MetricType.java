package io.appmetricsproxy.exposition;

import java.util.Locale;

/** The type of a metric family; UNTYPED is the text format's word, UNKNOWN the OpenMetrics one. */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  SUMMARY,
  UNTYPED,
  UNKNOWN,
  GAUGEHISTOGRAM,
  STATESET,
  INFO;

  private final String keyword = name().toLowerCase(Locale.ROOT);

  /** The word used for this type on a TYPE line, e.g. "counter". */
  public String keyword() {
    return keyword;
  }

  /** Whether a TYPE line of this format may name this type. */
  boolean allowedIn(Format format) {
    return switch (this) {
      case COUNTER, GAUGE, HISTOGRAM, SUMMARY -> true;
      case UNTYPED -> format == Format.TEXT;
      case UNKNOWN, GAUGEHISTOGRAM, STATESET, INFO -> format == Format.OPENMETRICS;
    };
  }

  /** The type a family without a TYPE line has in the format. */
  static MetricType untypedIn(Format format) {
    return format == Format.TEXT ? UNTYPED : UNKNOWN;
  }

  /** The type named by a TYPE line's word in the format, or null if the format has no such type. */
  static MetricType ofKeyword(String word, Format format) {
    for (MetricType type : values()) {
      if (type.keyword.equals(word) && type.allowedIn(format)) {
        return type;
      }
    }
    return null;
  }
}
