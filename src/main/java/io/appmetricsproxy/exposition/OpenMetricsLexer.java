package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.LexerStates.S_COMMENT;
import static io.appmetricsproxy.exposition.LexerStates.S_ETIMESTAMP;
import static io.appmetricsproxy.exposition.LexerStates.S_EVALUE;
import static io.appmetricsproxy.exposition.LexerStates.S_EXEMPLAR;
import static io.appmetricsproxy.exposition.LexerStates.S_INIT;
import static io.appmetricsproxy.exposition.LexerStates.S_LABELS;
import static io.appmetricsproxy.exposition.LexerStates.S_LVALUE;
import static io.appmetricsproxy.exposition.LexerStates.S_META1;
import static io.appmetricsproxy.exposition.LexerStates.S_META2;
import static io.appmetricsproxy.exposition.LexerStates.S_TIMESTAMP;
import static io.appmetricsproxy.exposition.LexerStates.S_VALUE;
import static io.appmetricsproxy.exposition.LexerStates.skipsNul;

/**
 * The OpenMetrics lexer as Prometheus 2.42 generates it from openmetricslex.l: the same states and
 * the same first-match-no-backtracking transitions, byte for byte.
 */
final class OpenMetricsLexer extends Lexer {

  private final byte[] b;

  OpenMetricsLexer(byte[] body) {
    this.b = body;
  }

  @Override
  int next() {
    i++;
    if (i >= b.length) {
      return 0;
    }
    while (b[i] == 0 && skipsNul(state)) {
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

  @Override
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
        return advance(S_INIT, Token.TEXT);
      }
      case S_LABELS, S_EXEMPLAR -> {
        return labelsToken(c, state == S_LABELS ? S_LVALUE : S_EVALUE);
      }
      case S_LVALUE -> {
        if (c != '"' || !quoted(false)) {
          return Token.INVALID;
        }
        state = S_LABELS;
        return Token.LVALUE;
      }
      case S_VALUE -> {
        if (c == '{') {
          return advance(S_LABELS, Token.BOPEN);
        }
        return spaced(c, S_TIMESTAMP, Token.VALUE);
      }
      case S_TIMESTAMP -> {
        return timestampToken(c);
      }
      case S_EVALUE -> {
        if (c == '"') {
          if (!quoted(false)) {
            return Token.INVALID;
          }
          state = S_EXEMPLAR;
          return Token.LVALUE;
        }
        return spaced(c, S_ETIMESTAMP, Token.VALUE);
      }
      case S_ETIMESTAMP -> {
        if (c == '\n') {
          return advance(S_INIT, Token.LINEBREAK);
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
    return labelName(c);
  }

  private Token timestampToken(int c) {
    if (c == '\n') {
      return advance(S_INIT, Token.LINEBREAK);
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
        return advance(S_EXEMPLAR, Token.COMMENT);
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
}
