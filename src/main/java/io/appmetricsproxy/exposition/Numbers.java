package io.appmetricsproxy.exposition;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Syntax checks of sample values and timestamps, as Go's strconv accepts them (without hex or
 * underscores).
 */
final class Numbers {

  /** Seconds beyond which an OpenMetrics timestamp no longer fits in int64 milliseconds. */
  private static final double MAX_SECONDS = 9.2e15;

  /**
   * Digits plus exponent below which a decimal cannot exceed the double range, so needs no parsing.
   */
  private static final int MAX_SAFE_MAGNITUDE = 300;

  private static final int NO_EXPONENT = Integer.MIN_VALUE;

  private Numbers() {}

  /**
   * Whether the chars are a float: decimal with optional exponent, NaN, or [+-]Inf/Infinity, any
   * case.
   */
  static boolean isFloat(CharSequence s) {
    int n = s.length();
    boolean signed = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-');
    int i = signed ? 1 : 0;
    if (i >= n) {
      return false;
    }
    char c = s.charAt(i);
    if (c == 'i' || c == 'I') {
      return equalsIgnoreCase(s, i, "inf") || equalsIgnoreCase(s, i, "infinity");
    }
    if (c == 'n' || c == 'N') {
      return !signed && equalsIgnoreCase(s, i, "nan");
    }
    return isDecimal(s, i);
  }

  /** Whether the chars are an int64 of milliseconds as the text format writes it: digits only. */
  static boolean isMillis(CharSequence s) {
    int n = s.length();
    if (n == 0 || n > 19) {
      return false;
    }
    long value = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return false;
      }
      value = value * 10 + (c - '0');
      if (value < 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether a float is a usable OpenMetrics timestamp: finite and within int64 milliseconds. */
  static boolean isSeconds(CharSequence s) {
    if (!isFloat(s)) {
      return false;
    }
    char last = s.charAt(s.length() - 1);
    if (last != '.' && (last < '0' || last > '9')) {
      return false; // NaN and the infinities end in a letter; decimals end in a digit or a point
    }
    return Math.abs(Double.parseDouble(s.toString())) < MAX_SECONDS;
  }

  /**
   * An OpenMetrics timestamp in seconds as text-format milliseconds, truncated toward zero as
   * Prometheus does.
   */
  static String secondsToMillis(String seconds) {
    BigDecimal millis = new BigDecimal(seconds).movePointRight(3).setScale(0, RoundingMode.DOWN);
    return millis.toPlainString();
  }

  /**
   * Whether the chars from index i on are digits with an optional point and exponent, within double
   * range.
   */
  private static boolean isDecimal(CharSequence s, int i) {
    int n = s.length();
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    int exponent = 0;
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      exponent = exponent(s, i + 1);
      if (exponent == NO_EXPONENT) {
        return false;
      }
    } else if (i != n) {
      return false;
    }
    return digits + exponent < MAX_SAFE_MAGNITUDE || !overflows(s);
  }

  /**
   * The exponent's value from index i to the end (at most 9999), or NO_EXPONENT if that is no
   * exponent.
   */
  private static int exponent(CharSequence s, int i) {
    int n = s.length();
    boolean negative = i < n && s.charAt(i) == '-';
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int start = i;
    int value = 0;
    while (i < n && isDigit(s.charAt(i))) {
      value = Math.min(value * 10 + s.charAt(i) - '0', 9999);
      i++;
    }
    if (i == start || i != n) {
      return NO_EXPONENT;
    }
    return negative ? -value : value;
  }

  /** Go's ParseFloat rejects decimals beyond the double range, such as 1e400. */
  private static boolean overflows(CharSequence s) {
    return Double.isInfinite(Double.parseDouble(s.toString()));
  }

  private static boolean equalsIgnoreCase(CharSequence s, int from, String word) {
    if (s.length() - from != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      char c = s.charAt(from + i);
      if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
