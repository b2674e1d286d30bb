package io.appmetricsproxy.exposition;

/**
 * The start conditions both of Prometheus' lexers share (promlex.l): the state a lexer is in
 * decides which rules apply, and in three of them NUL bytes are skipped.
 */
final class LexerStates {

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

  private LexerStates() {}

  /** Whether the lexer skips NUL bytes in this state (in label values, HELP text, comments). */
  static boolean skipsNul(int state) {
    return state == S_LVALUE || state == S_META2 || state == S_COMMENT;
  }
}
