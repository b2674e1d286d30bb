package io.appmetricsproxy.exposition;

import java.util.Objects;

/**
 * Strict parser of the Prometheus text format 0.0.4 and OpenMetrics 1.0.0, line by line, without
 * regex.
 */
public final class ExpositionParser {

  /** Typical bytes per sample line, to size the duplicate-series check. */
  private static final int BYTES_PER_SAMPLE_GUESS = 80;

  private final byte[] body;
  private final Format format;
  private final LineScanner in;
  private final SampleReader samples;
  private final Families families;
  private boolean eof;

  private ExpositionParser(byte[] body, Format format) {
    this.body = body;
    this.format = format;
    this.in = new LineScanner(body);
    this.samples = new SampleReader(in, format);
    this.families = new Families(format, body.length / BYTES_PER_SAMPLE_GUESS);
  }

  /**
   * Parses a whole body, which must be strict UTF-8. Lines end in \n (CRLF is an error); the text
   * format may omit the final newline, and an empty text body has no families.
   *
   * @throws InvalidExpositionException naming the first line that breaks the format
   */
  public static Exposition parse(byte[] body, Format format) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(format, "format");
    return new ExpositionParser(body, format).run();
  }

  private Exposition run() {
    int pos = 0;
    int line = 0;
    while (pos < body.length) {
      line++;
      if (eof) {
        throw new InvalidExpositionException(line, "unexpected data after \"# EOF\"");
      }
      int end = lineEnd(pos, line);
      in.reset(pos, end, line);
      if (format == Format.TEXT) {
        textLine();
      } else {
        openMetricsLine();
      }
      pos = end + 1;
    }
    if (format == Format.OPENMETRICS && !eof) {
      throw new InvalidExpositionException(
          line + 1, "missing \"# EOF\" at the end of the OpenMetrics body");
    }
    return new Exposition(format, families.build());
  }

  /**
   * The index of the \n ending the line (or of the body's end), once the line is checked for UTF-8
   * and CR.
   */
  private int lineEnd(int from, int line) {
    byte[] b = body;
    int end = from;
    int high = 0;
    while (end < b.length && b[end] != '\n') {
      high |= b[end];
      end++;
    }
    if (high < 0) {
      int bad = Utf8.firstInvalid(b, from, end);
      if (bad >= 0) {
        throw new InvalidExpositionException(
            line, String.format("invalid UTF-8 byte 0x%02x", b[bad] & 0xff));
      }
    }
    if (end > from && b[end - 1] == '\r') {
      throw new InvalidExpositionException(line, "line ends in CRLF; lines must end in \\n alone");
    }
    return end;
  }

  private void textLine() {
    in.skipBlanks();
    if (in.atEnd()) {
      return;
    }
    if (in.peek() != '#') {
      families.add(samples.read(), in);
      return;
    }
    in.skip("#");
    if (in.skipBlanks() == 0) {
      return;
    }
    String keyword = in.skip("HELP") ? "HELP" : in.skip("TYPE") ? "TYPE" : null;
    if (keyword == null || in.skipBlanks() == 0) {
      return;
    }
    String name = metadataName(keyword);
    if (in.skipBlanks() == 0 && !in.atEnd()) {
      throw in.error(
          "expected a space after \"# " + keyword + " " + name + "\", found " + in.found());
    }
    metadata(keyword, name);
  }

  private void openMetricsLine() {
    if (in.atEnd()) {
      throw in.error("blank line (OpenMetrics allows none)");
    }
    if (in.peek() != '#') {
      families.add(samples.read(), in);
      return;
    }
    if (in.skip("# EOF")) {
      if (!in.atEnd()) {
        throw in.error("unexpected data after \"# EOF\"");
      }
      eof = true;
      return;
    }
    String keyword =
        in.skip("# HELP ")
            ? "HELP"
            : in.skip("# TYPE ") ? "TYPE" : in.skip("# UNIT ") ? "UNIT" : null;
    if (keyword == null) {
      throw in.error(
          "expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\", found " + in.found());
    }
    String name = metadataName(keyword);
    if (!in.skip(" ")) {
      throw in.atEnd()
          ? in.error("missing text after \"# " + keyword + " " + name + "\"")
          : in.error(
              "expected a space after \"# " + keyword + " " + name + "\", found " + in.found());
    }
    metadata(keyword, name);
  }

  private String metadataName(String keyword) {
    String name = in.metricName();
    if (name == null) {
      throw in.error("expected a metric name after \"# " + keyword + "\", found " + in.found());
    }
    return name;
  }

  /** Applies the rest of a HELP, TYPE or UNIT line to its family. */
  private void metadata(String keyword, String name) {
    FamilyBuilder family = families.forMetadata(name, keyword, in);
    if (keyword.equals("HELP")) {
      requireFirst(family.help, keyword, name);
      family.help = in.unescapedRest("HELP text");
    } else if (keyword.equals("TYPE")) {
      requireFirst(family.type, keyword, name);
      String word = in.rest();
      family.type = MetricType.ofKeyword(word, format);
      if (family.type == null) {
        throw in.error("unknown metric type \"" + Snippet.of(word) + "\"");
      }
      if (!family.samples.isEmpty()) {
        throw in.error("TYPE line for metric family \"" + name + "\" after its samples");
      }
    } else {
      requireFirst(family.unit, keyword, name);
      family.unit = in.rest();
      if (!family.unit.isEmpty() && !name.endsWith("_" + family.unit)) {
        throw in.error(
            "unit \""
                + Snippet.of(family.unit)
                + "\" is not a suffix of metric family \""
                + name
                + "\"");
      }
    }
  }

  private void requireFirst(Object previous, String keyword, String name) {
    if (previous != null) {
      throw in.error("second " + keyword + " line for metric family \"" + name + "\"");
    }
  }
}
