package io.appmetricsproxy.exposition;

/**
 * The OpenMetrics lexer as Prometheus 2.42 generates it from openmetricslex.l: the same states and
 * the same first-match-no-backtracking transitions, byte for byte.
 */
final class OpenMetricsLexer {

  static final int S_INIT = 0;
  static final int S_COMMENT = 1;
  static final int S_META1 = 2;
  static final int S_META2 = 3;
  static final int S_LABELS = 4;
  static final int S_LVALUE = 5;
  static final int S_VALUE = 6;
  static final int S_TIMESTAMP = 7;
  static final int S_EXEMPLAR = 8;
  static final int S_EVALUE = 9;
  static final int S_ETIMESTAMP = 10;

  private final byte[] b;
  int i;
  int start;
  int state;

  OpenMetricsLexer(byte[] body) {
    this.b = body;
  }

  private int next() {
    i++;
    if (i >= b.length) {
      return 0;
    }
    while (b[i] == 0 && (state == S_LVALUE || state == S_META2 || state == S_COMMENT)) {
      i++;
      if (i >= b.length) {
        return 0;
      }
    }
    return b[i] & 0xff;
  }

  /** The byte at the cursor, or a space at the end (as Prometheus quotes it in errors). */
  int cur() {
    return i < b.length ? b[i] & 0xff : ' ';
  }

  Token lex() {
    if (i >= b.length) {
      return Token.EOF;
    }
    int c = b[i] & 0xff;
    start = i;
    switch (state) {
      case S_INIT -> {
        if (c == '#') {
          if (next() != ' ') {
            return Token.INVALID;
          }
          c = next();
          state = S_COMMENT;
          return comment(c);
        }
        if (Names.isMetricNameStart(c)) {
          metricName();
          state = S_VALUE;
          return Token.MNAME;
        }
        return Token.INVALID;
      }
      case S_COMMENT -> {
        return comment(c);
      }
      case S_META1 -> {
        if (!Names.isMetricNameStart(c)) {
          return Token.INVALID;
        }
        metricName();
        state = S_META2;
        return Token.MNAME;
      }
      case S_META2 -> {
        if (c != ' ') {
          return Token.INVALID;
        }
        do {
          c = next();
        } while (c != 0 && c != '\n');
        if (c != '\n') {
          return Token.INVALID;
        }
        next();
        state = S_INIT;
        return Token.TEXT;
      }
      case S_LABELS, S_EXEMPLAR -> {
        return labelsToken(c, state == S_LABELS ? S_LVALUE : S_EVALUE);
      }
      case S_LVALUE -> {
        if (c != '"' || !quoted()) {
          return Token.INVALID;
        }
        state = S_LABELS;
        return Token.LVALUE;
      }
      case S_VALUE -> {
        if (c == '{') {
          next();
          state = S_LABELS;
          return Token.BOPEN;
        }
        return spaced(c, S_TIMESTAMP, Token.VALUE);
      }
      case S_TIMESTAMP -> {
        return timestampToken(c);
      }
      case S_EVALUE -> {
        if (c == '"') {
          if (!quoted()) {
            return Token.INVALID;
          }
          state = S_EXEMPLAR;
          return Token.LVALUE;
        }
        return spaced(c, S_ETIMESTAMP, Token.VALUE);
      }
      case S_ETIMESTAMP -> {
        if (c == '\n') {
          next();
          state = S_INIT;
          return Token.LINEBREAK;
        }
        return spaced(c, S_ETIMESTAMP, Token.TIMESTAMP);
      }
      default -> throw new IllegalStateException("lexer state " + state);
    }
  }

  /** After "# ": HELP, TYPE or UNIT and a space, or EOF and an optional newline. */
  private Token comment(int c) {
    if (i >= b.length) {
      return Token.INVALID;
    }
    String rest;
    Token keyword;
    switch (c) {
      case 'E' -> {
        if (next() != 'O' || next() != 'F') {
          return Token.INVALID;
        }
        if (next() == '\n') {
          next();
        }
        state = S_INIT;
        return Token.EOFWORD;
      }
      case 'H' -> {
        rest = "ELP";
        keyword = Token.HELP;
      }
      case 'T' -> {
        rest = "YPE";
        keyword = Token.TYPE;
      }
      case 'U' -> {
        rest = "NIT";
        keyword = Token.UNIT;
      }
      default -> {
        return Token.INVALID;
      }
    }
    for (int k = 0; k < rest.length(); k++) {
      if (next() != rest.charAt(k)) {
        return Token.INVALID;
      }
    }
    if (next() != ' ') {
      return Token.INVALID;
    }
    next();
    state = S_META1;
    return keyword;
  }

  private Token labelsToken(int c, int valueState) {
    if (c == ',') {
      next();
      return Token.COMMA;
    }
    if (c == '=') {
      next();
      state = valueState;
      return Token.EQUAL;
    }
    if (c == '}') {
      next();
      state = valueState == S_LVALUE ? S_VALUE : S_EVALUE;
      return Token.BCLOSE;
    }
    if (!Names.isLabelNameStart(c)) {
      return Token.INVALID;
    }
    do {
      c = next();
    } while (Names.isLabelNamePart(c));
    return Token.LNAME;
  }

  private Token timestampToken(int c) {
    if (c == '\n') {
      next();
      state = S_INIT;
      return Token.LINEBREAK;
    }
    if (c != ' ') {
      return Token.INVALID;
    }
    c = next();
    if (c == '#') {
      c = next();
      if (c == ' ') {
        if (next() != '{') {
          return Token.INVALID;
        }
        next();
        state = S_EXEMPLAR;
        return Token.COMMENT;
      }
      while (tokenByte(c)) {
        c = next();
      }
      return Token.TIMESTAMP;
    }
    if (!tokenByte(c)) {
      return Token.INVALID;
    }
    do {
      c = next();
    } while (tokenByte(c));
    return Token.TIMESTAMP;
  }

  /** A space and at least one byte other than space, newline and NUL. */
  private Token spaced(int c, int nextState, Token token) {
    if (c != ' ' || !tokenByte(next())) {
      return Token.INVALID;
    }
    int d;
    do {
      d = next();
    } while (tokenByte(d));
    state = nextState;
    return token;
  }

  private static boolean tokenByte(int c) {
    return c != 0 && c != '\n' && c != ' ';
  }

  /** A quoted value from its opening quote: no raw newline or NUL, an escape any but newline. */
  private boolean quoted() {
    while (true) {
      int c = next();
      if (c == '"') {
        next();
        return true;
      }
      if (c == '\\') {
        c = next();
        if (c == 0 || c == '\n') {
          return false;
        }
      } else if (c == 0 || c == '\n') {
        return false;
      }
    }
  }

  private void metricName() {
    int c;
    do {
      c = next();
    } while (Names.isMetricNamePart(c));
  }
}
