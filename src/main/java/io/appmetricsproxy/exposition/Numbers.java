package io.appmetricsproxy.exposition;

/**
 * Syntax checks of sample values and timestamps, as Go's strconv accepts them (without hex or
 * underscores).
 */
final class Numbers {

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

  /** Whether a float (as {@link #isFloat} accepts it) is finite: no NaN and no infinity. */
  static boolean isFinite(CharSequence s) {
    char last = s.charAt(s.length() - 1);
    return last == '.' || (last >= '0' && last <= '9'); // NaN and the infinities end in a letter
  }

  /**
   * The float as Go's {@code fmt.Sprint} writes it (strconv 'g', shortest): what Prometheus makes
   * of a protobuf bucket bound or quantile, e.g. 0.005, 100000, 1e+06, 1.5e-05, +Inf.
   */
  static String goFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return 1 / f < 0 ? "-0" : "0";
    }
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(f)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    String sign = f < 0 ? "-" : "";
    if (exp < -4 || exp >= 6) {
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      int e = Math.abs(exp);
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }
    return d.toPlainString();
  }

  /**
   * Milliseconds as OpenMetrics seconds that Prometheus' {@code int64(seconds * 1000)} turns back
   * into the same milliseconds: a half millisecond away from zero keeps the truncation off the
   * float product's rounding error.
   */
  static String millisToSeconds(long millis) {
    long abs = Math.abs(millis);
    String ms = Long.toString(abs % 1000);
    return (millis < 0 ? "-" : "") + abs / 1000 + "." + "000".substring(ms.length()) + ms + "5";
  }

  /**
   * An OpenMetrics timestamp in float seconds as the int64 milliseconds Prometheus makes of it:
   * {@code int64(seconds * 1000)}, truncated toward zero, and on amd64 the minimum int64 where the
   * product does not fit.
   */
  static long secondsToMillis(String seconds) {
    double millis = Double.parseDouble(seconds) * 1000;
    if (!(Math.abs(millis) < 0x1p63)) {
      return Long.MIN_VALUE;
    }
    return (long) millis;
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
