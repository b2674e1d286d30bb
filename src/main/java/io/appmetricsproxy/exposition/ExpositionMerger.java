package io.appmetricsproxy.exposition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Merges the scrapes of several replicas into one valid exposition, adding each source's labels to
 * its samples.
 */
public final class ExpositionMerger {

  /**
   * Label names a histogram or summary gives a meaning to; a source label of that name is always
   * prefixed.
   */
  static final Set<String> RESERVED = Set.of("le", "quantile");

  private static final String PREFIX = "proxy_";

  /** One scrape and the labels to add to each of its samples. */
  public record Source(List<Label> labels, Exposition exposition) {

    public Source {
      labels = List.copyOf(labels);
      Objects.requireNonNull(exposition, "exposition");
      Set<String> names = new HashSet<>();
      for (Label label : labels) {
        if (!names.add(label.name())) {
          throw new IllegalArgumentException("duplicate source label \"" + label.name() + "\"");
        }
      }
    }
  }

  /** The merged exposition and what was dropped to make it valid. */
  public record Result(Exposition exposition, List<String> warnings) {

    public Result {
      Objects.requireNonNull(exposition, "exposition");
      warnings = List.copyOf(warnings);
    }
  }

  private final Format format;
  private final Map<String, Target> families = new LinkedHashMap<>();
  private final Map<SeriesKey, Set<String>> timestamps = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();

  private ExpositionMerger(Format format) {
    this.format = format;
  }

  /**
   * Merges the sources so that Prometheus stores from the merge what it stores from each source,
   * with the source labels: OPENMETRICS if every source is, else TEXT (OpenMetrics sources
   * converted as the writer does); families in order of first appearance with the first source's
   * type, HELP and UNIT (a later conflicting one is warned about; its samples are kept); source
   * labels added after each sample's own, as proxy_NAME where the sample has NAME already; a sample
   * repeating a series and timestamp already merged is dropped with a warning (Prometheus keeps the
   * first); in OpenMetrics an exemplar Prometheus 2.42 refuses (after a name not ending in _total
   * or _bucket) is dropped with a warning, so that one source cannot fail the scrape of all.
   */
  public static Result merge(List<Source> sources) {
    boolean allOpenMetrics =
        !sources.isEmpty()
            && sources.stream().allMatch(s -> s.exposition().format() == Format.OPENMETRICS);
    ExpositionMerger merger =
        new ExpositionMerger(allOpenMetrics ? Format.OPENMETRICS : Format.TEXT);
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      Exposition exposition =
          allOpenMetrics ? source.exposition() : TextConversion.toText(source.exposition());
      for (MetricFamily family : exposition.families()) {
        merger.add(i + 1, source.labels(), family);
      }
    }
    List<MetricFamily> merged = new ArrayList<>(merger.families.size());
    merger.families.values().forEach(target -> merged.add(target.build()));
    return new Result(new Exposition(merger.format, merged), merger.warnings);
  }

  private void add(int source, List<Label> labels, MetricFamily family) {
    Target target = families.get(family.name());
    if (target == null) {
      target = new Target(family);
      families.put(family.name(), target);
    } else {
      conflict(source, family, "type", target.type.keyword(), family.type().keyword());
      conflict(source, family, "HELP", target.help, family.help());
      conflict(source, family, "unit", target.unit, family.unit());
    }
    target.help = target.help != null ? target.help : family.help();
    target.unit = target.unit != null ? target.unit : family.unit();
    int duplicates = 0;
    int exemplars = 0;
    for (Sample sample : family.samples()) {
      Sample labelled = withLabels(sample, labels);
      if (format == Format.OPENMETRICS && labelled.exemplar() != null && !exemplarIn242(sample)) {
        labelled =
            new Sample(
                labelled.name(), labelled.labels(), labelled.value(), labelled.timestamp(), null);
        exemplars++;
      }
      String time = labelled.timestamp() == null ? "" : labelled.timestamp();
      if (timestamps.computeIfAbsent(new SeriesKey(labelled), k -> new HashSet<>(2)).add(time)) {
        target.samples.add(labelled);
      } else {
        duplicates++;
      }
    }
    if (duplicates > 0) {
      warn(family, duplicates + " series in source " + source + " duplicate earlier ones, dropped");
    }
    if (exemplars > 0) {
      warn(
          family,
          exemplars
              + " exemplars in source "
              + source
              + " after names Prometheus 2.42 allows none after, dropped");
    }
  }

  private static boolean exemplarIn242(Sample sample) {
    return sample.name().endsWith("_total") || sample.name().endsWith("_bucket");
  }

  private void conflict(int source, MetricFamily family, String what, String first, String later) {
    if (first != null && later != null && !first.equals(later)) {
      warn(
          family,
          what
              + " \""
              + later
              + "\" in source "
              + source
              + " conflicts with \""
              + first
              + "\", the first kept");
    }
  }

  /**
   * The sample with the source labels appended, each prefixed with proxy_ while the sample has that
   * name.
   */
  private static Sample withLabels(Sample sample, List<Label> added) {
    if (added.isEmpty()) {
      return sample;
    }
    List<Label> labels = new ArrayList<>(sample.labels().size() + added.size());
    labels.addAll(sample.labels());
    for (Label label : added) {
      String name = RESERVED.contains(label.name()) ? PREFIX + label.name() : label.name();
      while (hasLabel(labels, name)) {
        name = PREFIX + name;
      }
      labels.add(name.equals(label.name()) ? label : new Label(name, label.value()));
    }
    return new Sample(sample.name(), labels, sample.value(), sample.timestamp(), sample.exemplar());
  }

  private static boolean hasLabel(List<Label> labels, String name) {
    for (Label label : labels) {
      if (label.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private void warn(MetricFamily family, String message) {
    warnings.add("family \"" + family.name() + "\": " + message);
  }

  /** A merged family being collected. */
  private static final class Target {
    final String name;
    final MetricType type;
    String help;
    String unit;
    final List<Sample> samples = new ArrayList<>();

    Target(MetricFamily first) {
      this.name = first.name();
      this.type = first.type();
    }

    MetricFamily build() {
      return new MetricFamily(name, type, help, unit, samples);
    }
  }
}
