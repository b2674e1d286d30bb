package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The packages' order, as jdeps reads it from the compiled classes: each imports only packages
 * below it, never one above, and one beside it only where {@link #SIDEWAYS} says so.
 */
class LayeringTest {
  /** Rank of each top-level package: lower ranks sit above higher ones. */
  static final Map<String, Integer> RANKS =
      Map.of(
          "app", 0,
          "serve", 1,
          "replicate", 1,
          "status", 2,
          "store", 3,
          "scrape", 3,
          "discover", 3,
          "exposition", 4,
          "config", 4,
          "lang", 4);

  /** The imports between packages of one rank: a scrape is of a discovered target. */
  static final Set<String> SIDEWAYS = Set.of("scrape -> discover");

  private static final Pattern EDGE =
      Pattern.compile(
          "^\\s+io\\.appmetricsproxy\\.([\\w.]+)\\s+->\\s+io\\.appmetricsproxy\\.([\\w.]+)");

  @Test
  void aSubpackageNeverImportsTheOneThatHoldsIt() {
    List<String> edges = edges(false);
    assertThat(edges).isNotEmpty();
    assertThat(edges)
        .as("no two packages import each other")
        .noneMatch(edge -> edges.contains(String.join(" -> ", reversed(edge.split(" -> ")))));
  }

  private static List<String> reversed(String[] pair) {
    return List.of(pair[1], pair[0]);
  }

  @Test
  void noPackageImportsOneAboveIt() {
    List<String> edges = edges(true);
    assertThat(edges).isNotEmpty();
    List<String> upward = new ArrayList<>();
    for (String edge : edges) {
      String[] e = edge.split(" -> ");
      assertThat(RANKS).as("the rank of package %s", e[0]).containsKey(e[0]);
      assertThat(RANKS).as("the rank of package %s", e[1]).containsKey(e[1]);
      int from = RANKS.get(e[0]);
      int to = RANKS.get(e[1]);
      if (to < from || to == from && !SIDEWAYS.contains(edge)) {
        upward.add(edge);
      }
    }
    assertThat(upward).as("imports of a package above or beside the importing one").isEmpty();
  }

  /**
   * The package graph of target/classes, one "from -> to" per pair; with {@code topLevel}, each
   * subpackage counts as the package that holds it.
   */
  static List<String> edges(boolean topLevel) {
    Path classes = Path.of("target/classes");
    assertThat(Files.isDirectory(classes)).as("compiled classes in %s", classes).isTrue();
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int exit =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "-verbose:package",
            "-filter:none",
            classes.toString());
    assertThat(exit).as("jdeps exit status").isZero();
    TreeSet<String> edges = new TreeSet<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find()) {
        String from = topLevel ? m.group(1).replaceAll("\\..*", "") : m.group(1);
        String to = topLevel ? m.group(2).replaceAll("\\..*", "") : m.group(2);
        if (!from.equals(to)) {
          edges.add(from + " -> " + to);
        }
      }
    }
    return List.copyOf(edges);
  }
}
