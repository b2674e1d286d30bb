package io.appmetricsproxy.exposition;

/**
 * The text format's lexer as Prometheus 2.42 generates it from promlex.l: the same states and the
 * same first-match-no-backtracking transitions, byte for byte, over a body read as if it ended in
 * one more newline (Prometheus appends one).
 */
final class PromLexer {

  static final int S_INIT = 0;
  static final int S_COMMENT = 1;
  static final int S_META1 = 2;
  static final int S_META2 = 3;
  static final int S_LABELS = 4;
  static final int S_LVALUE = 5;
  static final int S_VALUE = 6;
  static final int S_TIMESTAMP = 7;

  private final byte[] b;
  private final int length;
  int i;
  int start;
  int state;

  PromLexer(byte[] body) {
    this.b = body;
    this.length = body.length + 1;
  }

  /** The byte at index j of the body with its appended newline, unsigned. */
  private int at(int j) {
    return j < b.length ? b[j] & 0xff : '\n';
  }

  private int next() {
    i++;
    if (i >= length) {
      return 0;
    }
    while (at(i) == 0 && (state == S_LVALUE || state == S_META2 || state == S_COMMENT)) {
      i++;
    }
    return at(i);
  }

  int cur() {
    return at(i);
  }

  Token lex() {
    if (i >= length) {
      return Token.EOF;
    }
    int c = at(i);
    start = i;
    while (true) {
      switch (state) {
        case S_INIT -> {
          if (c == '#') {
            c = next();
            if (!blank(c)) {
              return consumeComment();
            }
            c = blanks();
            state = S_COMMENT;
            continue;
          }
          if (Names.isMetricNameStart(c)) {
            metricName();
            state = S_VALUE;
            return Token.MNAME;
          }
          if (c == '\n') {
            next();
            state = S_INIT;
            return Token.LINEBREAK;
          }
          if (blank(c)) {
            blanks();
            return Token.WHITESPACE;
          }
          if (c == 0) {
            next();
            return Token.EOF;
          }
          return Token.INVALID;
        }
        case S_COMMENT -> {
          if (blank(c)) {
            blanks();
            return Token.WHITESPACE;
          }
          Token keyword = c == 'H' ? Token.HELP : c == 'T' ? Token.TYPE : null;
          if (keyword == null || !word(keyword == Token.HELP ? "ELP" : "YPE") || !blank(next())) {
            return consumeComment();
          }
          blanks();
          state = S_META1;
          return keyword;
        }
        case S_META1 -> {
          if (Names.isMetricNameStart(c)) {
            metricName();
            state = S_META2;
            return Token.MNAME;
          }
          if (blank(c)) {
            blanks();
            return Token.WHITESPACE;
          }
          return Token.INVALID;
        }
        case S_META2 -> {
          if (blank(c)) {
            c = blanks();
            if (c == 0 || c == '\n') {
              return Token.WHITESPACE;
            }
          }
          if (c != 0 && c != '\n') {
            do {
              c = next();
            } while (c != 0 && c != '\n');
          }
          state = S_INIT;
          return Token.TEXT;
        }
        case S_LABELS -> {
          return labelsToken(c);
        }
        case S_LVALUE -> {
          if (blank(c)) {
            blanks();
            return Token.WHITESPACE;
          }
          if (c != '"' || !quoted()) {
            return Token.INVALID;
          }
          state = S_LABELS;
          return Token.LVALUE;
        }
        case S_VALUE -> {
          if (blank(c)) {
            blanks();
            return Token.WHITESPACE;
          }
          if (c == '{') {
            next();
            state = S_LABELS;
            return Token.BOPEN;
          }
          if (!valueByte(c)) {
            return Token.INVALID;
          }
          do {
            c = next();
          } while (valueByte(c));
          state = S_TIMESTAMP;
          return Token.VALUE;
        }
        case S_TIMESTAMP -> {
          if (c == '\n') {
            next();
            state = S_INIT;
            return Token.LINEBREAK;
          }
          if (blank(c)) {
            blanks();
            return Token.WHITESPACE;
          }
          if (c < '0' || c > '9') {
            return Token.INVALID;
          }
          do {
            c = next();
          } while (c >= '0' && c <= '9');
          return Token.TIMESTAMP;
        }
        default -> throw new IllegalStateException("lexer state " + state);
      }
    }
  }

  private Token labelsToken(int c) {
    if (c == ',') {
      next();
      return Token.COMMA;
    }
    if (c == '=') {
      next();
      state = S_LVALUE;
      return Token.EQUAL;
    }
    if (c == '}') {
      next();
      state = S_VALUE;
      return Token.BCLOSE;
    }
    if (blank(c)) {
      blanks();
      return Token.WHITESPACE;
    }
    if (!Names.isLabelNameStart(c)) {
      return Token.INVALID;
    }
    do {
      c = next();
    } while (Names.isLabelNamePart(c));
    return Token.LNAME;
  }

  /** A quoted label value from its opening quote: any byte but NUL, an escape any but newline. */
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
      } else if (c == 0) {
        return false;
      }
    }
  }

  private static boolean valueByte(int c) {
    return c != 0 && c != '\t' && c != '\n' && c != ' ' && c != '{';
  }

  private void metricName() {
    int c;
    do {
      c = next();
    } while (Names.isMetricNamePart(c));
  }

  /** Whether the next bytes are the word; stops at the first that differs. */
  private boolean word(String rest) {
    for (int k = 0; k < rest.length(); k++) {
      if (next() != rest.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Skips blanks from the cursor (on a blank); returns the byte after them. */
  private int blanks() {
    int c;
    do {
      c = next();
    } while (blank(c));
    return c;
  }

  private static boolean blank(int c) {
    return c == ' ' || c == '\t';
  }

  /** Everything up to the newline (a comment); NUL or the end first make it the body's end. */
  private Token consumeComment() {
    for (int c = cur(); ; c = next()) {
      if (c == 0) {
        return Token.EOF;
      }
      if (c == '\n') {
        state = S_INIT;
        return Token.COMMENT;
      }
    }
  }
}
