package io.appmetricsproxy.exposition;

/**
 * What Prometheus' two generated lexers share: the cursor, the token's start, the start condition,
 * and the rules for names and quoted values.
 */
abstract class Lexer {

  int i;
  int start;
  int state;

  /** Advances the cursor and returns the byte there (0 at the end), skipping NULs where due. */
  abstract int next();

  abstract Token lex();

  /** Consumes the byte at the cursor and ends a token, the lexer going to {@code nextState}. */
  final Token advance(int nextState, Token token) {
    next();
    state = nextState;
    return token;
  }

  /** Consumes the rest of a metric name, the cursor on its first byte. */
  final void metricName() {
    int c;
    do {
      c = next();
    } while (Names.isMetricNamePart(c));
  }

  /** A label name from the cursor's byte {@code c}, or INVALID if no name starts there. */
  final Token labelName(int c) {
    if (!Names.isLabelNameStart(c)) {
      return Token.INVALID;
    }
    do {
      c = next();
    } while (Names.isLabelNamePart(c));
    return Token.LNAME;
  }

  /**
   * A quoted value from its opening quote: no NUL (nor raw newline unless allowed), an escape of
   * any byte but newline.
   */
  final boolean quoted(boolean rawNewline) {
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
      } else if (c == 0 || (c == '\n' && !rawNewline)) {
        return false;
      }
    }
  }
}
