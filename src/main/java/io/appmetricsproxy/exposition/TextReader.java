package io.appmetricsproxy.exposition;

import java.util.List;

/** Reads the text format as Prometheus 2.42's PromParser and scrape loop do. */
final class TextReader extends EntryReader {

  private final PromLexer l;

  TextReader(byte[] body, Families families) {
    super(body, families);
    this.l = new PromLexer(body);
  }

  private Token nextToken() {
    Token t;
    do {
      t = l.lex();
    } while (t == Token.WHITESPACE);
    return t;
  }

  @Override
  void run() {
    while (true) {
      int lineStart = l.i;
      Token t = nextToken();
      switch (t) {
        case EOF -> {
          return;
        }
        case LINEBREAK -> {}
        case HELP, TYPE -> metadata(t);
        case COMMENT -> {
          Token after = nextToken();
          if (after != Token.LINEBREAK) {
            throw error(l.start, expected("linebreak expected after comment", after));
          }
        }
        case MNAME -> sample(lineStart);
        default -> throw error(l.start, "\"" + t + "\" is not a valid start token");
      }
    }
  }

  private void metadata(Token keyword) {
    Token t = nextToken();
    if (t != Token.MNAME) {
      throw error(l.start, expected("expected metric name after " + keyword, t));
    }
    String name = symbols.of(l.start, l.i);
    t = nextToken();
    if (t != Token.TEXT) {
      throw error(l.start, "expected text in " + keyword);
    }
    int from = l.i - l.start > 1 ? l.start + 1 : l.i;
    int to = l.i;
    int at = l.start;
    if (keyword == Token.TYPE) {
      MetricType type = MetricType.ofKeyword(symbols.of(from, to), Format.TEXT);
      if (type == null) {
        throw error(at, "invalid metric type \"" + Snippet.of(symbols.of(from, to)) + "\"");
      }
      families.type(name, type);
    } else {
      if (Utf8.firstInvalid(b, from, Math.min(to, b.length)) >= 0) {
        throw error(at, "help text is not a valid utf8 string");
      }
      families.help(name, symbols.unescaped(from, Math.min(to, b.length), false));
    }
    t = nextToken();
    if (t != Token.LINEBREAK) {
      throw error(l.start, expected("linebreak expected after metadata", t));
    }
  }

  private void sample(int lineStart) {
    int nameFrom = l.start;
    String name = name(nameFrom, l.i);
    clearLabels();
    Token t = nextToken();
    if (t == Token.BOPEN) {
      labels();
      t = nextToken();
    }
    if (t != Token.VALUE) {
      throw error(l.start, expected("expected value after metric", t));
    }
    String value = floatToken(l.start, l.i, l.start);
    String timestamp = null;
    long millis = 0;
    t = nextToken();
    if (t == Token.TIMESTAMP) {
      timestamp = symbols.of(l.start, l.i);
      if (!Numbers.isMillis(timestamp)) {
        throw error(l.start, "strconv.ParseInt: parsing \"" + timestamp + "\": value out of range");
      }
      millis = Long.parseLong(timestamp);
      t = nextToken();
      if (t != Token.LINEBREAK) {
        throw error(l.start, expected("expected next entry after timestamp", t));
      }
    } else if (t != Token.LINEBREAK) {
      throw error(l.start, expected("expected timestamp or new record", t));
    }
    if (nameFrom != lineStart) {
      throw error(
          nameFrom, "invalid metric name or label names: blanks before the metric name " + name);
    }
    List<Label> labels = seriesLabels(name, nameFrom);
    families.add(new Sample(name, labels, value, timestamp, null), timestamp != null, millis);
  }

  private void labels() {
    Token t = nextToken();
    while (true) {
      if (t == Token.BCLOSE) {
        return;
      }
      if (t != Token.LNAME) {
        throw error(l.start, expected("expected label name", t));
      }
      int nameFrom = l.start;
      int nameTo = l.i;
      t = nextToken();
      if (t != Token.EQUAL) {
        throw error(l.start, expected("expected equal", t));
      }
      t = nextToken();
      if (t != Token.LVALUE) {
        throw error(l.start, expected("expected label value", t));
      }
      label(nameFrom, nameTo, l.start + 1, l.i - 1, l.start);
      t = nextToken();
      if (t == Token.COMMA) {
        t = nextToken();
      }
    }
  }
}
