package io.appmetricsproxy.status;

import io.appmetricsproxy.exposition.Exposition;
import io.appmetricsproxy.exposition.ExpositionMerger;
import io.appmetricsproxy.exposition.ExpositionWriter;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Label;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.store.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code /<name>/metrics} returns: one container's scrape as it came, or the merge of several,
 * each sample labelled with its container (and its node when they come from several nodes).
 */
public final class Served {
  /** The label that tells the containers of one name apart. */
  public static final String CONTAINER_LABEL = "container";

  /** Added when the containers of one name come from more than one node. */
  public static final String NODE_LABEL = "node";

  private final String name;
  private final List<Entry> entries;
  private final Payload payload;
  private final List<String> warnings;
  private volatile Payload text;

  private Served(
      String name, List<Entry> entries, Payload payload, List<String> warnings, Payload text) {
    this.name = name;
    this.entries = List.copyOf(entries);
    this.payload = payload;
    this.warnings = List.copyOf(warnings);
    this.text = text;
  }

  /**
   * The name's entries served as {@code /<name>/metrics} serves them: one entry's payload as it
   * came, several merged, each sample labelled with its container (and node).
   */
  public static Served of(String name, List<Entry> entries) {
    return of(name, entries, null);
  }

  /**
   * The name's entries served: merged when there are several, unless {@code previous} (this name in
   * the last snapshot, or null) served the same content already, whose merge (and conversion to
   * text) is kept.
   */
  static Served of(String name, List<Entry> group, Served previous) {
    List<Entry> sorted = new ArrayList<>(group);
    sorted.sort(Comparator.comparing(Entry::node).thenComparing(Entry::containerName));
    if (previous != null && previous.sameContent(sorted)) {
      return new Served(name, sorted, previous.payload, previous.warnings, previous.text);
    }
    if (sorted.size() == 1) {
      return new Served(name, sorted, sorted.get(0).payload(), List.of(), null);
    }
    boolean severalNodes = sorted.stream().map(Entry::node).distinct().count() > 1;
    List<ExpositionMerger.Source> sources = new ArrayList<>();
    for (Entry e : sorted) {
      List<Label> labels = new ArrayList<>();
      labels.add(new Label(CONTAINER_LABEL, e.containerName()));
      if (severalNodes) {
        labels.add(new Label(NODE_LABEL, e.node()));
      }
      sources.add(new ExpositionMerger.Source(labels, e.payload().parse()));
    }
    ExpositionMerger.Result merged = ExpositionMerger.merge(sources);
    Exposition exposition = merged.exposition();
    Payload payload =
        Payload.of(ExpositionWriter.write(exposition, exposition.format()), exposition.format());
    return new Served(name, sorted, payload, merged.warnings(), null);
  }

  private boolean sameContent(List<Entry> sorted) {
    if (entries.size() != sorted.size()) {
      return false;
    }
    for (int i = 0; i < sorted.size(); i++) {
      if (!entries.get(i).sameContent(sorted.get(i))) {
        return false;
      }
    }
    return true;
  }

  public String name() {
    return name;
  }

  /** The entries behind this name, by node and container name. */
  public List<Entry> entries() {
    return entries;
  }

  /** In the format the targets gave: OpenMetrics only if every one of them did. */
  public Payload payload() {
    return payload;
  }

  /** Families the merge had to leave out, each with why. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The exposition in {@code format}, converted once from OpenMetrics when the client needs text.
   */
  public Payload payload(Format format) {
    if (format == payload.format() || format == Format.OPENMETRICS) {
      return payload;
    }
    Payload converted = text;
    if (converted == null) {
      converted = Payload.of(ExpositionWriter.write(payload.parse(), Format.TEXT), Format.TEXT);
      text = converted;
    }
    return converted;
  }

  /** The gzip form of {@link #payload(Format)}, compressed once per scrape (or merge). */
  public byte[] gzip(Format format) {
    return payload(format).gzip();
  }

  /** The start of the oldest scrape behind this name: it ages out first. */
  public Instant oldest() {
    return entries.stream().map(Entry::scrapedAt).min(Instant::compareTo).orElseThrow();
  }

  /** The start of the newest scrape behind this name. */
  public Instant lastModified() {
    return entries.stream().map(Entry::scrapedAt).max(Instant::compareTo).orElseThrow();
  }
}
