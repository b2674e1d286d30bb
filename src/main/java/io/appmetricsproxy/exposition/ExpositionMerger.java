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
  private static final Set<String> RESERVED = Set.of("le", "quantile");

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

  /**
   * Which family owns a family name or a sample name, so no name means two families in the output.
   */
  private final Map<String, String> owners = new HashMap<>();

  private final Set<SeriesKey> series = new HashSet<>();
  private final List<String> warnings = new ArrayList<>();

  private ExpositionMerger(Format format) {
    this.format = format;
  }

  /**
   * Merges the sources: OPENMETRICS if every source is, else TEXT (OpenMetrics sources converted as
   * the writer does); families in order of first appearance with the first source's type and HELP;
   * source labels added after each sample's own, as proxy_NAME where the sample has NAME already;
   * later families of a conflicting type and series already seen are dropped with a warning.
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
      if (!claimNames(source, family)) {
        return;
      }
      target = new Target(family);
      families.put(family.name(), target);
    } else if (target.type != family.type()) {
      warn(
          family,
          "type "
              + family.type().keyword()
              + " in source "
              + source
              + " conflicts with "
              + target.type.keyword()
              + ", dropped");
      return;
    } else if (target.unit != null && family.unit() != null && !target.unit.equals(family.unit())) {
      warn(
          family,
          "unit \""
              + family.unit()
              + "\" in source "
              + source
              + " conflicts with \""
              + target.unit
              + "\", dropped");
      return;
    } else if (!claimNames(source, family)) {
      return;
    }
    target.help = target.help != null ? target.help : family.help();
    target.unit = target.unit != null ? target.unit : family.unit();
    int duplicates = 0;
    for (Sample sample : family.samples()) {
      Sample labelled = withLabels(sample, labels);
      if (series.add(new SeriesKey(labelled))) {
        target.samples.add(labelled);
      } else {
        duplicates++;
      }
    }
    if (duplicates > 0) {
      warn(family, duplicates + " series in source " + source + " duplicate earlier ones, dropped");
    }
  }

  /**
   * Claims the family's name and sample names for it; false (with a warning) if another family has
   * one.
   */
  private boolean claimNames(int source, MetricFamily family) {
    Set<String> names = new HashSet<>();
    names.add(family.name());
    family.samples().forEach(sample -> names.add(sample.name()));
    for (String name : names) {
      String owner = owners.get(name);
      if (owner != null && !owner.equals(family.name())) {
        warn(
            family,
            "name \""
                + name
                + "\" in source "
                + source
                + " is taken by family \""
                + owner
                + "\", dropped");
        return false;
      }
    }
    names.forEach(name -> owners.put(name, family.name()));
    return true;
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
