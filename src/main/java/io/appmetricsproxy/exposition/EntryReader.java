package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.List;

/** What the two format readers share: labels, values and the checks of a scraped series. */
abstract class EntryReader {

  final byte[] b;
  final Symbols symbols;
  final Families families;
  private final ArrayList<Label> labels = new ArrayList<>();
  private String lastName;
  private int lastNameFrom = -1;
  private int lastNameTo = -1;

  EntryReader(byte[] body, Families families) {
    this.b = body;
    this.symbols = new Symbols(body);
    this.families = families;
  }

  abstract void run();

  /** The metric name [from, to), one String while consecutive samples repeat it. */
  String name(int from, int to) {
    if (to - from != lastNameTo - lastNameFrom
        || !java.util.Arrays.equals(b, from, to, b, lastNameFrom, lastNameTo)) {
      lastName = symbols.of(from, to);
      lastNameFrom = from;
      lastNameTo = to;
    }
    return lastName;
  }

  void clearLabels() {
    labels.clear();
  }

  /** Adds a label from the bytes of its name and of its value without quotes. */
  void label(int nameFrom, int nameTo, int valueFrom, int valueTo, int at) {
    if (Utf8.firstInvalid(b, valueFrom, valueTo) >= 0) {
      throw error(at, "invalid UTF-8 label value");
    }
    labels.add(
        new Label(symbols.of(nameFrom, nameTo), symbols.unescaped(valueFrom, valueTo, true)));
  }

  /**
   * The labels of a series as Prometheus stores them: no __name__ label (the scrape fails on one);
   * a name given an empty value anywhere is dropped with all its values (the scrape's label builder
   * deletes it by name); then no name twice (the head appender fails on that).
   */
  List<Label> seriesLabels(String name, int at) {
    if (labels.isEmpty()) {
      return List.of();
    }
    boolean empty = false;
    for (Label label : labels) {
      if (label.name().equals("__name__")) {
        throw error(at, "invalid metric name or label names: label \"__name__\" in " + name);
      }
      empty |= label.value().isEmpty();
    }
    List<Label> series = new ArrayList<>(labels.size());
    for (Label label : labels) {
      if (empty && emptyName(label.name())) {
        continue;
      }
      for (Label previous : series) {
        if (previous.name().equals(label.name())) {
          throw error(at, "label name \"" + label.name() + "\" is not unique: invalid sample");
        }
      }
      series.add(label);
    }
    return List.copyOf(series);
  }

  private boolean emptyName(String labelName) {
    for (Label label : labels) {
      if (label.value().isEmpty() && label.name().equals(labelName)) {
        return true;
      }
    }
    return false;
  }

  /** The float token [from, to) as Prometheus' parseFloat accepts it. */
  String floatToken(int from, int to, int at) {
    String s = symbols.of(from, to);
    if (s.indexOf('p') >= 0 || s.indexOf('P') >= 0 || s.indexOf('_') >= 0) {
      throw error(at, "unsupported character in float");
    }
    if (!Numbers.isFloat(s)) {
      throw error(at, "strconv.ParseFloat: parsing \"" + Snippet.of(s) + "\": invalid syntax");
    }
    return s;
  }

  static String expected(String what, Token got) {
    return what + ", got \"" + got + "\"";
  }

  /** The error at the body's byte index, with the 1-based line of that byte. */
  InvalidExpositionException error(int at, String reason) {
    int line = 1;
    int end = Math.min(at, b.length);
    for (int k = 0; k < end; k++) {
      if (b[k] == '\n') {
        line++;
      }
    }
    return new InvalidExpositionException(line, reason);
  }
}
