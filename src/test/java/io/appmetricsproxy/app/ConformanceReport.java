package io.appmetricsproxy.app;

import io.appmetricsproxy.testing.ConformanceCorpus.Case;
import io.appmetricsproxy.testing.StoredTarget;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** ConformanceIT's report: counts by source, what Prometheus stored per job, and the tables. */
final class ConformanceReport {
  /** One row of a table. */
  record Difference(String id, String source, String variant, String what) {}

  private ConformanceReport() {}

  /** Per job: targets up, and the commonest errors of those down. */
  static String health(Map<Variant, Map<String, StoredTarget>> stored) {
    StringBuilder s = new StringBuilder();
    stored.forEach(
        (v, targets) -> {
          Map<String, Long> errors =
              targets.values().stream()
                  .filter(t -> !t.up() && v != Variant.DIRECT)
                  .collect(
                      Collectors.groupingBy(
                          t -> t.lastError().replaceAll("/[^ ]*\"", "/…\""),
                          TreeMap::new,
                          Collectors.counting()));
          s.append(
              String.format(
                  "Prometheus job %-11s %4d targets, %4d up, %5d series, %5d samples, %4d"
                      + " exemplars, %4d metadata%s%n",
                  v.job(),
                  targets.size(),
                  targets.values().stream().filter(StoredTarget::up).count(),
                  targets.values().stream().mapToInt(t -> t.series().size()).sum(),
                  targets.values().stream()
                      .flatMap(t -> t.series().values().stream())
                      .mapToInt(Set::size)
                      .sum(),
                  targets.values().stream()
                      .flatMap(t -> t.exemplars().values().stream())
                      .mapToInt(Set::size)
                      .sum(),
                  targets.values().stream().mapToInt(t -> t.metadata().size()).sum(),
                  errors.isEmpty() ? "" : "; down: " + errors));
        });
    return s.toString();
  }

  static String summary(
      List<Case> cases, List<Difference> verdicts, List<Difference> reserved, long seconds) {
    StringBuilder s =
        new StringBuilder("Conformance: " + cases.size() + " cases in " + seconds + " s\n");
    s.append(
        String.format(
            "%-18s %6s %9s %9s %9s %12s %12s %12s %12s%n",
            "source",
            "cases",
            "accepted",
            "verdict=",
            "verdict≠",
            "om client≠",
            "text client≠",
            "merge≠",
            "merge text≠"));
    Map<String, List<Case>> bySource =
        cases.stream()
            .collect(Collectors.groupingBy(Case::source, TreeMap::new, Collectors.toList()));
    bySource.forEach(
        (source, of) -> {
          long mismatches = verdicts.stream().filter(d -> d.source().equals(source)).count();
          s.append(
              String.format(
                  "%-18s %6d %9d %9d %9d %12d %12d %12d %12d%n",
                  source,
                  of.size(),
                  of.stream().filter(Case::accepted).count(),
                  of.size() - mismatches,
                  mismatches,
                  casesWith(reserved, source, Variant.OPENMETRICS),
                  casesWith(reserved, source, Variant.TEXT),
                  casesWith(reserved, source, Variant.MERGE),
                  casesWith(reserved, source, Variant.MERGE_TEXT)));
        });
    return s.append("(≠ columns of the variants: cases with a difference)\n").toString();
  }

  private static long casesWith(List<Difference> differences, String source, Variant v) {
    return differences.stream()
        .filter(d -> d.source().equals(source) && d.variant().equals(v.title))
        .map(Difference::id)
        .distinct()
        .count();
  }

  static String table(String title, List<Difference> rows) {
    StringBuilder t = new StringBuilder("\n" + title + ": " + rows.size() + "\n");
    if (rows.isEmpty()) {
      return t.toString();
    }
    int id = rows.stream().mapToInt(r -> r.id().length()).max().orElse(2);
    int source = rows.stream().mapToInt(r -> r.source().length()).max().orElse(6);
    String format = "| %-" + id + "s | %-" + source + "s | %-18s | %s%n";
    t.append(String.format(format, "case", "source", "variant", "what differs"));
    for (Difference r : rows) {
      t.append(String.format(format, r.id(), r.source(), r.variant(), oneLine(r.what())));
    }
    return t.toString();
  }

  /** {@code s} on one line, control characters escaped as Java writes them, at most 400 chars. */
  private static String oneLine(String s) {
    StringBuilder line = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> line.append("\\n");
                case '\t' -> line.append("\\t");
                case '\r' -> line.append("\\r");
                default ->
                    line.append(
                        Character.isISOControl(c)
                            ? String.format("\\u%04x", c)
                            : new String(Character.toChars(c)));
              }
            });
    return line.length() > 400 ? line.substring(0, 400) + "…" : line.toString();
  }
}
