package io.appmetricsproxy.exposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cursor over one line of a body, reading names, label sets, quoted values and tokens without
 * regex.
 */
final class LineScanner {

  private static final int SYMBOL_SLOTS = 1024;
  private static final int SYMBOL_MAX_BYTES = 32;

  private final byte[] b;

  /**
   * Short strings seen in this body by hash slot, with where their bytes start in the body (-1:
   * none).
   */
  private final int[] symbolFrom = new int[SYMBOL_SLOTS];

  private final String[] symbols = new String[SYMBOL_SLOTS];
  private final ArrayList<Label> labels = new ArrayList<>();
  private byte[] scratch = new byte[64];
  private int pos;
  private int end;
  private int line;
  private String lastName;
  private int lastNameFrom;
  private int lastNameTo;

  LineScanner(byte[] body) {
    this.b = body;
    Arrays.fill(symbolFrom, -1);
  }

  /** Points the scanner at the line [from, to) with its 1-based number. */
  void reset(int from, int to, int lineNumber) {
    pos = from;
    end = to;
    line = lineNumber;
  }

  int pos() {
    return pos;
  }

  boolean atEnd() {
    return pos >= end;
  }

  /** The byte at the cursor, or -1 at the end of the line. */
  int peek() {
    return pos < end ? b[pos] : -1;
  }

  /** Whether the rest of the line starts with the ASCII text; consumes it if so. */
  boolean skip(String ascii) {
    int length = ascii.length();
    if (end - pos < length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (b[pos + i] != ascii.charAt(i)) {
        return false;
      }
    }
    pos += length;
    return true;
  }

  /** Skips spaces and tabs; returns how many. */
  int skipBlanks() {
    int start = pos;
    while (pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
      pos++;
    }
    return pos - start;
  }

  /** Reads a metric name at the cursor, or returns null (consuming nothing) if none starts here. */
  String metricName() {
    if (pos >= end || !Names.isMetricNameStart(b[pos])) {
      return null;
    }
    int start = pos++;
    while (pos < end && Names.isMetricNamePart(b[pos])) {
      pos++;
    }
    if (!sameBytes(start, pos, lastNameFrom, lastNameTo)) {
      lastName = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
      lastNameFrom = start;
      lastNameTo = pos;
    }
    return lastName;
  }

  /**
   * Reads the token up to the next space (and tab, if tabs separate tokens) or the end of the line.
   */
  String token(boolean tabSeparates) {
    int start = pos;
    while (pos < end && b[pos] != ' ' && !(tabSeparates && b[pos] == '\t')) {
      pos++;
    }
    return new String(b, start, pos - start, StandardCharsets.UTF_8);
  }

  /**
   * Reads the rest of the line unescaping \\, \" and \n; any other escape is an error naming the
   * context.
   */
  String unescapedRest(String context) {
    int start = pos;
    pos = end;
    return unescape(start, end, context);
  }

  /** Reads the rest of the line as it is. */
  String rest() {
    int start = pos;
    pos = end;
    return new String(b, start, end - start, StandardCharsets.UTF_8);
  }

  /**
   * Reads a label set, the cursor on its "{". Loose (text format) allows blanks around every token;
   * strict (OpenMetrics) allows none. Both allow a trailing comma. Returns an immutable list.
   */
  List<Label> labelSet(boolean loose) {
    labels.clear();
    pos++;
    skipBlanksIf(loose);
    while (peek() != '}') {
      labels.add(label(loose));
      skipBlanksIf(loose);
      if (peek() == ',') {
        pos++;
        skipBlanksIf(loose);
      } else if (peek() != '}') {
        throw atEnd()
            ? error("unterminated label set")
            : error("expected \",\" or \"}\" after a label, found " + found());
      }
    }
    pos++;
    return List.copyOf(labels);
  }

  private Label label(boolean loose) {
    if (atEnd()) {
      throw error("unterminated label set");
    }
    if (!Names.isLabelNameStart(b[pos])) {
      throw error("expected a label name, found " + found());
    }
    int start = pos++;
    while (pos < end && Names.isLabelNamePart(b[pos])) {
      pos++;
    }
    String name = symbol(start, pos);
    if (name.equals("__name__")) {
      throw error("label name \"__name__\" is reserved");
    }
    for (Label previous : labels) {
      if (previous.name().equals(name)) {
        throw error("duplicate label name \"" + name + "\"");
      }
    }
    skipBlanksIf(loose);
    if (peek() != '=') {
      throw error("expected \"=\" after label name \"" + name + "\", found " + found());
    }
    pos++;
    skipBlanksIf(loose);
    if (peek() != '"') {
      throw error("expected a quoted value of label \"" + name + "\", found " + found());
    }
    return new Label(name, quotedValue());
  }

  /** Reads a double-quoted label value, the cursor on its opening quote, and unescapes it. */
  private String quotedValue() {
    int start = ++pos;
    boolean escaped = false;
    while (pos < end && b[pos] != '"') {
      if (b[pos] == '\\') {
        escaped = true;
        pos++;
      }
      pos++;
    }
    if (pos >= end) {
      throw error("unterminated label value");
    }
    pos++;
    return escaped ? unescape(start, pos - 1, "label value") : symbol(start, pos - 1);
  }

  private String unescape(int from, int to, String context) {
    if (scratch.length < to - from) {
      scratch = new byte[Math.max(to - from, scratch.length * 2)];
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\\') {
        if (++i == to) {
          throw error("unfinished escape \"\\\" at the end of " + context);
        }
        c = b[i];
        if (c == 'n') {
          c = '\n';
        } else if (c != '\\' && c != '"') {
          String after = new String(b, i, Math.min(to - i, 4), StandardCharsets.UTF_8);
          String escaped = Snippet.of(after.substring(0, after.offsetByCodePoints(0, 1)));
          throw error("invalid escape \"\\" + escaped + "\" in " + context);
        }
      }
      scratch[n++] = c;
    }
    return new String(scratch, 0, n, StandardCharsets.UTF_8);
  }

  private void skipBlanksIf(boolean loose) {
    if (loose) {
      skipBlanks();
    }
  }

  /** A string for the bytes [from, to), shared with earlier equal short strings of this body. */
  private String symbol(int from, int to) {
    int length = to - from;
    if (length > SYMBOL_MAX_BYTES) {
      return new String(b, from, length, StandardCharsets.UTF_8);
    }
    int hash = length;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + b[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SYMBOL_SLOTS - 1);
    int cached = symbolFrom[slot];
    if (cached >= 0 && sameBytes(from, to, cached, cached + symbols[slot].length())) {
      return symbols[slot];
    }
    String value = new String(b, from, length, StandardCharsets.UTF_8);
    if (value.length() == length) { // ASCII only, so the string's length is the byte length
      symbolFrom[slot] = from;
      symbols[slot] = value;
    }
    return value;
  }

  /**
   * Whether the body's byte ranges [from, to) and [otherFrom, otherTo) are equal, compared from the
   * end.
   */
  private boolean sameBytes(int from, int to, int otherFrom, int otherTo) {
    if (to - from != otherTo - otherFrom) {
      return false;
    }
    for (int i = to - 1, j = otherTo - 1; i >= from; i--, j--) {
      if (b[i] != b[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The text at the cursor for an error message: at most 20 characters, quoted, or "end of line".
   */
  String found() {
    if (pos >= end) {
      return "end of line";
    }
    return "\"" + display(pos) + "\"";
  }

  /** The line from the byte index on, shortened and escaped for an error message. */
  private String display(int from) {
    int bytes = Math.min(end - from, Snippet.MAX_CHARS * 4 + 4);
    return Snippet.of(new String(b, from, bytes, StandardCharsets.UTF_8));
  }

  /** The bytes from the index to the cursor as a string. */
  String text(int from) {
    return new String(b, from, pos - from, StandardCharsets.UTF_8);
  }

  InvalidExpositionException error(String reason) {
    return new InvalidExpositionException(line, reason);
  }
}
