package io.appmetricsproxy.status;

import io.appmetricsproxy.exposition.Exposition;
import io.appmetricsproxy.exposition.ExpositionMerger;
import io.appmetricsproxy.exposition.ExpositionParser;
import io.appmetricsproxy.exposition.ExpositionWriter;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Label;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.exposition.ProtobufMerger;
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
  private final Instant oldest;
  private final Instant lastModified;
  private volatile Payload text;
  private volatile Payload openMetrics;

  private Served(String name, List<Entry> entries, Payload payload, List<String> warnings) {
    this.name = name;
    this.entries = List.copyOf(entries);
    this.payload = payload;
    this.warnings = List.copyOf(warnings);
    Instant min = this.entries.get(0).scrapedAt();
    Instant max = min;
    for (Entry e : this.entries) { // read at every snapshot of every name: once here
      min = e.scrapedAt().isBefore(min) ? e.scrapedAt() : min;
      max = e.scrapedAt().isAfter(max) ? e.scrapedAt() : max;
    }
    this.oldest = min;
    this.lastModified = max;
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
      Served same = new Served(name, sorted, previous.payload, previous.warnings);
      same.text = previous.text;
      same.openMetrics = previous.openMetrics;
      return same;
    }
    if (sorted.size() == 1) {
      return new Served(name, sorted, sorted.get(0).payload(), List.of());
    }
    boolean severalNodes = sorted.stream().map(Entry::node).distinct().count() > 1;
    List<List<Label>> labels = new ArrayList<>();
    for (Entry e : sorted) {
      List<Label> added = new ArrayList<>();
      added.add(new Label(CONTAINER_LABEL, e.containerName()));
      if (severalNodes) {
        added.add(new Label(NODE_LABEL, e.node()));
      }
      labels.add(added);
    }
    if (sorted.stream().allMatch(e -> e.payload().format() == Format.PROTOBUF)) {
      List<ProtobufMerger.Source> sources = new ArrayList<>();
      for (int i = 0; i < sorted.size(); i++) {
        sources.add(new ProtobufMerger.Source(labels.get(i), sorted.get(i).payload()));
      }
      Payload payload = Payload.of(ProtobufMerger.merge(sources), Format.PROTOBUF);
      return new Served(name, sorted, payload, List.of());
    }
    List<ExpositionMerger.Source> sources = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Payload p = sorted.get(i).payload();
      Exposition e =
          p.format() == Format.PROTOBUF
              ? ExpositionParser.protobufAs(p.toByteArray(), Format.TEXT)
              : p.parse();
      sources.add(new ExpositionMerger.Source(labels.get(i), e));
      for (String family : p.nativeOnly()) {
        warnings.add(
            "family \""
                + family
                + "\": native histogram alone in source "
                + (i + 1)
                + ", merged as its count, sum and +Inf bucket");
      }
    }
    ExpositionMerger.Result merged = ExpositionMerger.merge(sources);
    warnings.addAll(merged.warnings());
    Exposition exposition = merged.exposition();
    Payload payload =
        Payload.of(ExpositionWriter.write(exposition, exposition.format()), exposition.format());
    return new Served(name, sorted, payload, warnings);
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

  /**
   * In the format the targets gave: PROTOBUF or OpenMetrics only if every one of them did, else
   * text.
   */
  public Payload payload() {
    return payload;
  }

  /** Families the merge had to leave out, each with why. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The exposition for a client that wants {@code format}: as held where it is in that format or
   * the client takes it (text for anyone, OpenMetrics for a protobuf client); else converted once,
   * from protobuf to OpenMetrics or text (classic buckets; of a native-only histogram its count,
   * sum and +Inf bucket: {@link Payload#nativeOnly()}), from OpenMetrics to text.
   */
  public Payload payload(Format format) {
    Format held = payload.format();
    if (format == held
        || held == Format.TEXT
        || (held == Format.OPENMETRICS && format == Format.PROTOBUF)) {
      return payload;
    }
    if (format == Format.OPENMETRICS) {
      Payload converted = openMetrics;
      if (converted == null) {
        converted = convert(Format.OPENMETRICS);
        openMetrics = converted;
      }
      return converted;
    }
    Payload converted = text;
    if (converted == null) {
      converted = convert(Format.TEXT);
      text = converted;
    }
    return converted;
  }

  private Payload convert(Format to) {
    Exposition exposition =
        payload.format() == Format.PROTOBUF
            ? ExpositionParser.protobufAs(payload.toByteArray(), to)
            : payload.parse();
    return Payload.of(ExpositionWriter.write(exposition, to), to);
  }

  /** The gzip form of {@link #payload(Format)}, compressed once per scrape (or merge). */
  public byte[] gzip(Format format) {
    return payload(format).gzip();
  }

  /** The start of the oldest scrape behind this name: it ages out first. */
  public Instant oldest() {
    return oldest;
  }

  /** The start of the newest scrape behind this name. */
  public Instant lastModified() {
    return lastModified;
  }
}
