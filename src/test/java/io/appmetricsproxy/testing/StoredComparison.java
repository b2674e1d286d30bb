package io.appmetricsproxy.testing;

import io.appmetricsproxy.testing.StoredTarget.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where what Prometheus stored through the proxy differs from what it stored scraping the body
 * itself. Strict, except where a text client cannot receive what OpenMetrics carries (issue 13):
 * for a text client of an OpenMetrics body, exemplars, UNIT and {@code _created} series may be
 * missing, the OpenMetrics-only types may arrive as the text type closest to them, and a sample
 * with a negative timestamp (which Prometheus' text parser refuses) may be missing, but not moved
 * to the time of the scrape.
 */
public final class StoredComparison {
  /** What the text format has for each OpenMetrics-only type (Prometheus stores "unknown"). */
  private static final Map<String, Set<String>> TEXT_TYPES =
      Map.of(
          "gaugehistogram", Set.of("histogram", "unknown"),
          "stateset", Set.of("gauge", "unknown"),
          "info", Set.of("gauge", "unknown"));

  private static final Set<String> WITH_CREATED = Set.of("counter", "histogram", "summary");

  private StoredComparison() {}

  /**
   * The differences of {@code through} from {@code direct}, one line each.
   *
   * @param textOfOpenMetrics {@code through} is a text client's view of an OpenMetrics body
   */
  public static List<String> differences(
      StoredTarget direct, StoredTarget through, boolean textOfOpenMetrics) {
    return differences(direct, through, textOfOpenMetrics, false);
  }

  /**
   * As {@link #differences(StoredTarget, StoredTarget, boolean)}; {@code textOfProtobuf}: {@code
   * through} is a text client's view of a protobuf body, where a native histogram is missing and a
   * histogram that had classic buckets too arrives as them (its {@code _bucket}, {@code _sum},
   * {@code _count} series).
   */
  public static List<String> differences(
      StoredTarget direct,
      StoredTarget through,
      boolean textOfOpenMetrics,
      boolean textOfProtobuf) {
    List<String> out = new ArrayList<>();
    if (!direct.up()) {
      if (storageVerdict(direct) && through.up()) {
        return out; // nothing to compare with: see storageVerdict
      }
      if (through.up() || !withoutUrl(through).equals(withoutUrl(direct))) {
        out.add(
            (through.up() ? "scrape succeeded" : "scrape failed: " + through.lastError())
                + ", direct failed: "
                + direct.lastError());
      }
      return out;
    }
    if (!through.up()) {
      out.add("scrape failed: " + through.lastError());
      return out;
    }
    Set<SortedMap<String, String>> keys = new TreeSet<>(StoredTarget::compareLabels);
    keys.addAll(direct.series().keySet());
    keys.addAll(through.series().keySet());
    for (SortedMap<String, String> series : keys) {
      SortedSet<String> want = direct.series().get(series);
      SortedSet<String> got = through.series().get(series);
      SortedSet<String> inText = textOfOpenMetrics ? withoutNegativeTimestamps(want) : want;
      if (textOfProtobuf && (isNative(want) || classicOfNative(series, direct))) {
        continue;
      }
      if (got == null) {
        if (!(textOfOpenMetrics && isCreated(series.get("__name__"), direct))
            && !inText.isEmpty()) {
          out.add("missing series " + show(series) + " " + want);
        }
      } else if (want == null) {
        out.add("extra series " + show(series) + " " + got);
      } else if (!want.equals(got) && !inText.equals(got)) {
        out.add(show(series) + ": stored " + got + ", direct " + want);
      }
    }
    for (String metric : new TreeSet<>(union(direct.metadata(), through.metadata()))) {
      Metadata want = direct.metadata().get(metric);
      Metadata got = through.metadata().get(metric);
      if (!sameMetadata(want, got, textOfOpenMetrics)
          && !(textOfOpenMetrics && want == null && isCreated(metric, direct))) {
        out.add("metadata " + metric + ": " + got + ", direct " + want);
      }
    }
    if (!textOfOpenMetrics) {
      Set<SortedMap<String, String>> withExemplars = new TreeSet<>(StoredTarget::compareLabels);
      withExemplars.addAll(direct.exemplars().keySet());
      withExemplars.addAll(through.exemplars().keySet());
      for (SortedMap<String, String> series : withExemplars) {
        SortedSet<String> want = direct.exemplars().getOrDefault(series, new TreeSet<>());
        SortedSet<String> got = through.exemplars().getOrDefault(series, new TreeSet<>());
        if (!want.equals(got)) {
          out.add("exemplars of " + show(series) + ": " + got + ", direct " + want);
        }
      }
    }
    return out;
  }

  private static boolean isNative(SortedSet<String> samples) {
    return samples != null
        && samples.stream().anyMatch(s -> s.contains(" " + StoredTarget.HISTOGRAM));
  }

  /** A _bucket, _sum or _count series of a name stored directly as a native histogram. */
  private static boolean classicOfNative(SortedMap<String, String> series, StoredTarget direct) {
    String name = series.getOrDefault("__name__", "");
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        SortedMap<String, String> family = new TreeMap<>(series);
        family.put("__name__", name.substring(0, name.length() - suffix.length()));
        family.remove("le");
        if (isNative(direct.series().get(family))) {
          return true;
        }
      }
    }
    return false;
  }

  private static SortedSet<String> withoutNegativeTimestamps(SortedSet<String> samples) {
    if (samples == null) {
      return null;
    }
    SortedSet<String> kept = new TreeSet<>(samples);
    kept.removeIf(sample -> sample.startsWith("@-"));
    return kept;
  }

  private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static boolean sameMetadata(Metadata want, Metadata got, boolean textOfOpenMetrics) {
    if (want == null || got == null || !textOfOpenMetrics) {
      return want == null ? got == null : want.equals(got);
    }
    boolean type =
        want.type().equals(got.type())
            || TEXT_TYPES.getOrDefault(want.type(), Set.of()).contains(got.type());
    return type && want.help().equals(got.help()) && got.unit().isEmpty();
  }

  /**
   * True where Prometheus refused a scrape while appending, not parsing: "too old sample", which
   * the out-of-order window of the test's config turns "out of bounds" (skipped, scrape kept) into,
   * for a timestamp older than any window (e.g. an OpenMetrics one beyond int64 milliseconds).
   */
  public static boolean storageVerdict(StoredTarget direct) {
    return !direct.up() && direct.lastError().equals("too old sample");
  }

  private static String withoutUrl(StoredTarget t) {
    return t.lastError().replaceAll("\"http://[^\"]*\"", "URL");
  }

  /** The name of a {@code _created} series of a family that has them in OpenMetrics. */
  private static boolean isCreated(String name, StoredTarget direct) {
    if (name == null || !name.endsWith("_created")) {
      return false;
    }
    Metadata family = direct.metadata().get(name.substring(0, name.length() - "_created".length()));
    return family != null && WITH_CREATED.contains(family.type());
  }

  /**
   * One replica's part of a merge: the series and exemplars whose merge label ({@code container},
   * or {@code proxy_container} where the body had a {@code container} label) names {@code
   * container}, without that label; a series with no merge label is in no replica's part.
   */
  public static StoredTarget replica(StoredTarget merged, String container, Set<String> all) {
    return new StoredTarget(
        merged.health(),
        merged.lastError(),
        part(merged.series(), container, all),
        merged.metadata(),
        part(merged.exemplars(), container, all));
  }

  private static SortedMap<SortedMap<String, String>, SortedSet<String>> part(
      SortedMap<SortedMap<String, String>, SortedSet<String>> merged,
      String container,
      Set<String> all) {
    SortedMap<SortedMap<String, String>, SortedSet<String>> part =
        new TreeMap<>(StoredTarget::compareLabels);
    merged.forEach(
        (labels, values) -> {
          String label = mergeLabel(labels, all);
          if (label != null && labels.get(label).equals(container)) {
            SortedMap<String, String> own = new TreeMap<>(labels);
            own.remove(label);
            part.put(own, values);
          }
        });
    return part;
  }

  /** The merged series that carry no replica's merge label. */
  public static List<String> unlabelled(StoredTarget merged, Set<String> containers) {
    return merged.series().keySet().stream()
        .filter(labels -> mergeLabel(labels, containers) == null)
        .map(StoredComparison::show)
        .toList();
  }

  private static String mergeLabel(SortedMap<String, String> labels, Set<String> containers) {
    for (Map.Entry<String, String> l : labels.entrySet()) {
      if (l.getKey().matches("(proxy_)*container") && containers.contains(l.getValue())) {
        return l.getKey();
      }
    }
    return null;
  }

  /** A series as PromQL writes it. */
  public static String show(SortedMap<String, String> series) {
    String name = series.getOrDefault("__name__", "");
    String labels =
        series.entrySet().stream()
            .filter(l -> !l.getKey().equals("__name__"))
            .map(l -> l.getKey() + "=\"" + l.getValue() + "\"")
            .collect(Collectors.joining(","));
    return labels.isEmpty() ? name : name + "{" + labels + "}";
  }
}
