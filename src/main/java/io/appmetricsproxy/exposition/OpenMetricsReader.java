package io.appmetricsproxy.exposition;

import java.nio.charset.StandardCharsets;

/**
 * Reads OpenMetrics as Prometheus' OpenMetricsParser and scrape loop do: 2.42's rules, except that
 * an exemplar may follow any sample, as it may since 2.43.
 */
final class OpenMetricsReader extends EntryReader {

  private final OpenMetricsLexer l;

  OpenMetricsReader(byte[] body, Families families) {
    super(body, families);
    this.l = new OpenMetricsLexer(body);
  }

  @Override
  void run() {
    while (true) {
      Token t = l.lex();
      switch (t) {
        case EOFWORD -> {
          if (l.lex() != Token.EOF) {
            throw error(l.start, "unexpected data after # EOF");
          }
          return;
        }
        case EOF -> throw error(l.start, "data does not end with # EOF");
        case HELP, TYPE, UNIT -> metadata(t);
        case MNAME -> sample();
        default ->
            throw error(
                l.start,
                "\""
                    + t
                    + "\" \""
                    + Snippet.of(Character.toString(l.cur()))
                    + "\" is not a valid"
                    + " start token");
      }
    }
  }

  private void metadata(Token keyword) {
    Token t = l.lex();
    if (t != Token.MNAME) {
      throw error(l.start, expected("expected metric name after " + keyword, t));
    }
    int nameFrom = l.start;
    int nameTo = l.i;
    String name = symbols.of(nameFrom, nameTo);
    t = l.lex();
    if (t != Token.TEXT) {
      throw error(l.start, "expected text in " + keyword);
    }
    int from = l.start + 1;
    int to = l.i - 1;
    int at = l.start;
    switch (keyword) {
      case TYPE -> {
        MetricType type = MetricType.ofKeyword(symbols.of(from, to), Format.OPENMETRICS);
        if (type == null) {
          throw error(at, "invalid metric type \"" + Snippet.of(symbols.of(from, to)) + "\"");
        }
        families.type(name, type);
      }
      case HELP -> {
        if (Utf8.firstInvalid(b, from, to) >= 0) {
          throw error(at, "help text is not a valid utf8 string");
        }
        families.help(name, symbols.unescaped(from, to, true));
      }
      default -> {
        String unit = new String(b, from, to - from, StandardCharsets.UTF_8);
        int length = to - from;
        if (length > 0
            && (!name.endsWith(unit)
                || nameTo - nameFrom < length + 1
                || b[nameTo - length - 1] != '_')) {
          throw error(at, "unit not a suffix of metric \"" + name + "\"");
        }
        families.unit(name, unit);
      }
    }
  }

  private void sample() {
    int nameFrom = l.start;
    String name = name(nameFrom, l.i);
    clearLabels();
    Token t = l.lex();
    if (t == Token.BOPEN) {
      labels();
      t = l.lex();
    }
    String value = value(t, "metric");
    String timestamp = null;
    long millis = 0;
    String exemplar = null;
    t = l.lex();
    if (t == Token.TIMESTAMP) {
      timestamp = floatToken(l.start + 1, l.i, l.start);
      if (!Numbers.isFinite(timestamp)) {
        throw error(l.start, "invalid timestamp");
      }
      millis = Numbers.secondsToMillis(timestamp);
      t = l.lex();
      if (t == Token.COMMENT) {
        exemplar = exemplar();
      } else if (t != Token.LINEBREAK) {
        throw error(l.start, expected("expected next entry after timestamp", t));
      }
    } else if (t == Token.COMMENT) {
      exemplar = exemplar();
    } else if (t == Token.EOF) {
      throw error(l.start, "data does not end with # EOF");
    } else if (t != Token.LINEBREAK) {
      throw error(l.start, expected("expected timestamp or # symbol", t));
    }
    families.add(
        new Sample(name, seriesLabels(name, nameFrom), value, timestamp, exemplar),
        timestamp != null,
        millis);
  }

  private String value(Token t, String after) {
    if (t != Token.VALUE) {
      throw error(l.start, expected("expected value after " + after, t));
    }
    return floatToken(l.start + 1, l.i, l.start);
  }

  /** The exemplar after " # ", checked as Prometheus does and kept as written. */
  private String exemplar() {
    int from = l.i - 1;
    labelSet(true);
    value(l.lex(), "exemplar labels");
    Token t = l.lex();
    int to = l.start;
    if (t == Token.TIMESTAMP) {
      String timestamp = floatToken(l.start + 1, l.i, l.start);
      if (!Numbers.isFinite(timestamp)) {
        throw error(l.start, "invalid exemplar timestamp");
      }
      to = l.i;
      t = l.lex();
      if (t != Token.LINEBREAK) {
        throw error(l.start, expected("expected next entry after exemplar timestamp", t));
      }
    } else if (t == Token.EOF) {
      throw error(l.start, "data does not end with # EOF");
    } else if (t != Token.LINEBREAK) {
      throw error(l.start, expected("expected timestamp or comment", t));
    }
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  private void labels() {
    labelSet(false);
  }

  /** A label set after its "{" as parseLVals reads it: no blanks, commas between labels only. */
  private void labelSet(boolean exemplar) {
    boolean first = true;
    while (true) {
      Token t = l.lex();
      switch (t) {
        case BCLOSE -> {
          return;
        }
        case COMMA -> {
          if (first) {
            throw error(l.start, expected("expected label name or left brace", t));
          }
          t = l.lex();
          if (t != Token.LNAME) {
            throw error(l.start, expected("expected label name", t));
          }
        }
        case LNAME -> {
          if (!first) {
            throw error(l.start, expected("expected comma", t));
          }
        }
        default ->
            throw error(
                l.start,
                expected(
                    first ? "expected label name or left brace" : "expected comma or left brace",
                    t));
      }
      first = false;
      int nameFrom = l.start;
      int nameTo = l.i;
      t = l.lex();
      if (t != Token.EQUAL) {
        throw error(l.start, expected("expected equal", t));
      }
      t = l.lex();
      if (t != Token.LVALUE) {
        throw error(l.start, expected("expected label value", t));
      }
      if (exemplar) {
        if (Utf8.firstInvalid(b, l.start + 1, l.i - 1) >= 0) {
          throw error(l.start, "invalid UTF-8 label value");
        }
      } else {
        label(nameFrom, nameTo, l.start + 1, l.i - 1, l.start);
      }
    }
  }
}
