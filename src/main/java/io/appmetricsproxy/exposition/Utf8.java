package io.appmetricsproxy.exposition;

/**
 * Strict UTF-8 validation as Go's utf8.Valid: no overlongs, surrogates or code points past
 * U+10FFFF.
 */
final class Utf8 {

  private Utf8() {}

  /**
   * The index of the first byte that starts no valid UTF-8 sequence in [from, to), or -1 if all are
   * valid.
   */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int length = sequenceLength(b, i, to, c);
      if (length == 0) {
        return i;
      }
      i += length;
    }
    return -1;
  }

  /** The length of the valid multi-byte sequence starting at i with lead byte c, or 0. */
  private static int sequenceLength(byte[] b, int i, int to, int c) {
    if (c >= 0xc2 && c <= 0xdf) {
      return continuation(b, i + 1, to, 0x80, 0xbf) ? 2 : 0;
    }
    if (c >= 0xe0 && c <= 0xef) {
      int low = c == 0xe0 ? 0xa0 : 0x80;
      int high = c == 0xed ? 0x9f : 0xbf;
      return continuation(b, i + 1, to, low, high) && continuation(b, i + 2, to, 0x80, 0xbf)
          ? 3
          : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
      int low = c == 0xf0 ? 0x90 : 0x80;
      int high = c == 0xf4 ? 0x8f : 0xbf;
      return continuation(b, i + 1, to, low, high)
              && continuation(b, i + 2, to, 0x80, 0xbf)
              && continuation(b, i + 3, to, 0x80, 0xbf)
          ? 4
          : 0;
    }
    return 0;
  }

  private static boolean continuation(byte[] b, int i, int to, int low, int high) {
    if (i >= to) {
      return false;
    }
    int c = b[i] & 0xff;
    return c >= low && c <= high;
  }
}
