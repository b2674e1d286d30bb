package io.appmetricsproxy.exposition;

/**
 * Text quoted in an error message: at most 20 characters, with quotes, backslashes and controls
 * escaped.
 */
final class Snippet {

  static final int MAX_CHARS = 20;

  private Snippet() {}

  /** The first 20 characters of the text, escaped, with "..." if it was longer. */
  static String of(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (int chars = 0; i < text.length() && chars < MAX_CHARS; chars++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      appendEscaped(out, c);
    }
    return i < text.length() ? out.append("...").toString() : out.toString();
  }

  /** The whole text, escaped like a label value (for series named in messages). */
  static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> appendEscaped(out, c));
    return out.toString();
  }

  private static void appendEscaped(StringBuilder out, int c) {
    switch (c) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case '\n' -> out.append("\\n");
      case '\t' -> out.append("\\t");
      case '\r' -> out.append("\\r");
      default -> {
        if (c < 0x20 || c == 0x7f) {
          out.append(String.format("\\x%02x", c));
        } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
          out.append(String.format("\\u%04x", c));
        } else {
          out.appendCodePoint(c);
        }
      }
    }
  }
}
