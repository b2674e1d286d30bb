package io.appmetricsproxy.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing byte buffer that encodes strings as UTF-8, optionally escaping them as the formats
 * require.
 */
final class ByteSink {

  private byte[] bytes;
  private int size;

  ByteSink(int capacity) {
    bytes = new byte[Math.max(capacity, 64)];
  }

  ByteSink append(String s) {
    return append(s, false, false);
  }

  ByteSink append(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /**
   * Appends with backslash and newline escaped as \\ and \n, and double quotes as \" if quotes is
   * set.
   */
  ByteSink appendEscaped(String s, boolean quotes) {
    return append(s, true, quotes);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private ByteSink append(String s, boolean escape, boolean quotes) {
    if (!escape || !needsEscape(s, quotes)) {
      byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
      ensure(encoded.length);
      System.arraycopy(encoded, 0, bytes, size, encoded.length);
      size += encoded.length;
      return this;
    }
    int length = s.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        i = appendNonAscii(s, i);
      } else if (escape && (c == '\\' || c == '\n' || (quotes && c == '"'))) {
        ensure(length - i + 1);
        bytes[size++] = '\\';
        bytes[size++] = (byte) (c == '\n' ? 'n' : c);
      } else {
        bytes[size++] = (byte) c;
      }
    }
    return this;
  }

  private static boolean needsEscape(String s, boolean quotes) {
    return s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0 || (quotes && s.indexOf('"') >= 0);
  }

  /**
   * Encodes the non-ASCII char at i (two chars if a surrogate pair); returns the index of its last
   * char.
   */
  private int appendNonAscii(String s, int i) {
    ensure(s.length() - i + 3);
    char c = s.charAt(i);
    if (c < 0x800) {
      bytes[size++] = (byte) (0xc0 | (c >> 6));
      bytes[size++] = (byte) (0x80 | (c & 0x3f));
      return i;
    }
    if (Character.isHighSurrogate(c)
        && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, s.charAt(i + 1));
      bytes[size++] = (byte) (0xf0 | (cp >> 18));
      bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      bytes[size++] = (byte) (0x80 | (cp & 0x3f));
      return i + 1;
    }
    if (Character.isSurrogate(c)) {
      bytes[size++] = '?';
      return i;
    }
    bytes[size++] = (byte) (0xe0 | (c >> 12));
    bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
    bytes[size++] = (byte) (0x80 | (c & 0x3f));
    return i;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
