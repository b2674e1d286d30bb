package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.LexerStates.S_COMMENT;
import static io.appmetricsproxy.exposition.LexerStates.S_INIT;
import static io.appmetricsproxy.exposition.LexerStates.S_LABELS;
import static io.appmetricsproxy.exposition.LexerStates.S_LVALUE;
import static io.appmetricsproxy.exposition.LexerStates.S_META1;
import static io.appmetricsproxy.exposition.LexerStates.S_META2;
import static io.appmetricsproxy.exposition.LexerStates.S_TIMESTAMP;
import static io.appmetricsproxy.exposition.LexerStates.S_VALUE;
import static io.appmetricsproxy.exposition.LexerStates.skipsNul;

/**
 * The text format's lexer as Prometheus 2.42 generates it from promlex.l: the same states and the
 * same first-match-no-backtracking transitions, byte for byte, over a body read as if it ended in
 * one more newline (Prometheus appends one).
 */
final class PromLexer extends Lexer {

  private final byte[] b;
  private final int length;

  PromLexer(byte[] body) {
    this.b = body;
    this.length = body.length + 1;
  }

  /** The byte at index j of the body with its appended newline, unsigned. */
  private int at(int j) {
    return j < b.length ? b[j] & 0xff : '\n';
  }

  @Override
  int next() {
    i++;
    if (i >= length) {
      return 0;
    }
    while (at(i) == 0 && skipsNul(state)) {
      i++;
    }
    return at(i);
  }

  int cur() {
    return at(i);
  }

  @Override
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
            return advance(S_INIT, Token.LINEBREAK);
          }
          if (blank(c)) {
            return whitespace();
          }
          if (c == 0) {
            next();
            return Token.EOF;
          }
          return Token.INVALID;
        }
        case S_COMMENT -> {
          if (blank(c)) {
            return whitespace();
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
            return whitespace();
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
            return whitespace();
          }
          if (c != '"' || !quoted(true)) {
            return Token.INVALID;
          }
          state = S_LABELS;
          return Token.LVALUE;
        }
        case S_VALUE -> {
          if (blank(c)) {
            return whitespace();
          }
          if (c == '{') {
            return advance(S_LABELS, Token.BOPEN);
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
            return advance(S_INIT, Token.LINEBREAK);
          }
          if (blank(c)) {
            return whitespace();
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
      return advance(S_LVALUE, Token.EQUAL);
    }
    if (c == '}') {
      return advance(S_VALUE, Token.BCLOSE);
    }
    if (blank(c)) {
      return whitespace();
    }
    return labelName(c);
  }

  private static boolean valueByte(int c) {
    return c != 0 && c != '\t' && c != '\n' && c != ' ' && c != '{';
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

  private Token whitespace() {
    blanks();
    return Token.WHITESPACE;
  }
}
