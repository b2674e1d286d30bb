package io.appmetricsproxy.exposition;

import java.util.List;

/**
 * Reads one sample line: blank-separated in the text format, single-space-separated in OpenMetrics.
 */
final class SampleReader {

  private final LineScanner in;
  private final boolean text;

  SampleReader(LineScanner in, Format format) {
    this.in = in;
    this.text = format == Format.TEXT;
  }

  /** Reads the sample on the scanner's line, the cursor at its first non-blank byte. */
  Sample read() {
    String name = in.metricName();
    if (name == null) {
      throw in.error("expected a metric name, found " + in.found());
    }
    List<Label> labels = List.of();
    if (text) {
      int blanks = in.skipBlanks();
      if (in.peek() == '{') {
        labels = in.labelSet(true);
        in.skipBlanks();
      } else if (blanks == 0 && !in.atEnd()) {
        throw in.error(
            "expected a space or \"{\" after metric name \"" + name + "\", found " + in.found());
      }
    } else if (in.peek() == '{') {
      labels = in.labelSet(false);
    }
    String value = value(name);
    String timestamp = null;
    String exemplar = null;
    if (text) {
      timestamp = textTimestamp();
    } else if (in.skip(" ")) {
      boolean hasExemplar = in.skip("# ");
      if (!hasExemplar) {
        timestamp = omTimestamp();
        hasExemplar = in.skip(" # ");
      }
      if (hasExemplar) {
        exemplar = omExemplar();
      } else if (!in.atEnd()) {
        throw in.error("unexpected text after the timestamp: " + in.found());
      }
    }
    return new Sample(name, labels, value, timestamp, exemplar);
  }

  private String value(String name) {
    if (!text && !in.skip(" ")) {
      throw in.atEnd()
          ? in.error("missing value of sample \"" + name + "\"")
          : in.error("expected a space before the value, found " + in.found());
    }
    if (in.atEnd()) {
      throw in.error("missing value of sample \"" + name + "\"");
    }
    if (in.peek() == ' ') {
      throw in.error("expected a single space before the value, found " + in.found());
    }
    String value = in.token(text);
    if (!Numbers.isFloat(value)) {
      throw invalid("value", value, "a float, NaN or [+-]Inf");
    }
    return value;
  }

  private String textTimestamp() {
    in.skipBlanks();
    if (in.atEnd()) {
      return null;
    }
    requireNoExemplar();
    String timestamp = in.token(true);
    if (!Numbers.isMillis(timestamp)) {
      throw invalid("timestamp", timestamp, "integer milliseconds");
    }
    in.skipBlanks();
    if (!in.atEnd()) {
      requireNoExemplar();
      throw in.error("unexpected text after the timestamp: " + in.found());
    }
    return timestamp;
  }

  private void requireNoExemplar() {
    if (in.peek() == '#') {
      throw in.error("exemplars are only valid in OpenMetrics, found " + in.found());
    }
  }

  /** The timestamp after the value's space, which is no exemplar; float seconds. */
  private String omTimestamp() {
    if (in.atEnd() || in.peek() == ' ') {
      throw in.error("expected a timestamp after the value, found " + in.found());
    }
    String timestamp = in.token(false);
    if (!Numbers.isSeconds(timestamp)) {
      throw invalid("timestamp", timestamp, "finite float seconds");
    }
    return timestamp;
  }

  /** The exemplar after " # ": {labels} value [timestamp], kept as written. */
  private String omExemplar() {
    int start = in.pos();
    if (in.peek() != '{') {
      throw in.error("expected the label set of an exemplar, found " + in.found());
    }
    in.labelSet(false);
    if (!in.skip(" ") || in.atEnd()) {
      throw in.error("expected a value after the exemplar labels, found " + in.found());
    }
    String value = in.token(false);
    if (!Numbers.isFloat(value)) {
      throw invalid("exemplar value", value, "a float");
    }
    if (in.skip(" ")) {
      String timestamp = in.token(false);
      if (!Numbers.isSeconds(timestamp)) {
        throw invalid("exemplar timestamp", timestamp, "finite float seconds");
      }
    }
    if (!in.atEnd()) {
      throw in.error("unexpected text after the exemplar: " + in.found());
    }
    return in.text(start);
  }

  private InvalidExpositionException invalid(String what, String token, String expected) {
    return in.error(
        "invalid " + what + " \"" + Snippet.of(token) + "\" (expected " + expected + ")");
  }
}
