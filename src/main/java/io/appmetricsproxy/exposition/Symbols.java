package io.appmetricsproxy.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Short strings of one body by hash slot, so repeated names and values share one String. */
final class Symbols {

  private static final int SLOTS = 1024;
  private static final int MAX_BYTES = 32;

  private final byte[] b;
  private final int[] from = new int[SLOTS];
  private final String[] strings = new String[SLOTS];

  Symbols(byte[] body) {
    this.b = body;
    Arrays.fill(from, -1);
  }

  /** The UTF-8 string of the body's bytes [start, end), shared with earlier equal ones. */
  String of(int start, int end) {
    int length = end - start;
    if (length > MAX_BYTES) {
      return new String(b, start, length, StandardCharsets.UTF_8);
    }
    int hash = length;
    for (int k = start; k < end; k++) {
      hash = 31 * hash + b[k];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    int cached = from[slot];
    if (cached >= 0 && Arrays.equals(b, start, end, b, cached, cached + strings[slot].length())) {
      return strings[slot];
    }
    String value = new String(b, start, length, StandardCharsets.UTF_8);
    if (value.length() == length) { // ASCII only, so the string's length is the byte length
      from[slot] = start;
      strings[slot] = value;
    }
    return value;
  }

  /**
   * The bytes [start, end) unescaped as Prometheus' replacers do: \\ and \n, and \" if quotes is
   * set; any other backslash stays as it is.
   */
  String unescaped(int start, int end, boolean quotes) {
    int k = start;
    while (k < end && b[k] != '\\') {
      k++;
    }
    if (k == end) {
      return of(start, end);
    }
    byte[] out = new byte[end - start];
    int n = 0;
    for (k = start; k < end; k++) {
      byte c = b[k];
      if (c == '\\' && k + 1 < end) {
        byte e = b[k + 1];
        if (e == '\\' || e == 'n' || (quotes && e == '"')) {
          out[n++] = e == 'n' ? (byte) '\n' : e;
          k++;
          continue;
        }
      }
      out[n++] = c;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
