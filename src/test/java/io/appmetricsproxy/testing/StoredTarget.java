package io.appmetricsproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a real Prometheus stored for one scrape target, read back through its HTTP API: health,
 * series with their samples, metadata and exemplars. The target's own {@code job} and {@code
 * instance} labels and Prometheus' synthetic series ({@code up}, {@code scrape_*}) are left out; a
 * sample or exemplar taken at scrape time (no timestamp of its own) is written {@code @scrape}, one
 * with a timestamp of its own {@code @<ms>}; a native histogram's value is {@code histogram} and
 * its JSON.
 *
 * @param series each series' labels (with {@code __name__}) and its distinct samples
 * @param metadata each metric name's {@code type=… help=… unit=…}
 * @param exemplars each series' distinct exemplars
 */
public record StoredTarget(
    String health,
    String lastError,
    SortedMap<SortedMap<String, String>, SortedSet<String>> series,
    SortedMap<String, Metadata> metadata,
    SortedMap<SortedMap<String, String>, SortedSet<String>> exemplars) {

  private static final Set<String> SYNTHETIC =
      Set.of(
          "up",
          "scrape_duration_seconds",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added");

  /** Starts the value of a native histogram's sample, its JSON after it. */
  public static final String HISTOGRAM = "histogram ";

  /** Far enough back for the out-of-order window the config allows, and ahead of any wall clock. */
  private static final String RANGE = "250y";

  /** One metric name's metadata. */
  public record Metadata(String type, String help, String unit) {
    @Override
    public String toString() {
      return "type=" + type + " help=\"" + help + "\" unit=\"" + unit + "\"";
    }
  }

  public StoredTarget {
    Objects.requireNonNull(health);
    Objects.requireNonNull(lastError);
  }

  public boolean up() {
    return health.equals("up");
  }

  /**
   * Every target of {@code job}, by instance label. Samples and exemplars whose timestamp lies
   * within {@code scrapes} (when Prometheus ran; no body of the corpus carries such a time) count
   * as taken at scrape time.
   */
  public static Map<String, StoredTarget> readJob(
      PrometheusServer prometheus, String job, Instant scrapesFrom, Instant scrapesTo)
      throws IOException, InterruptedException {
    Map<String, Builder> targets = new HashMap<>();
    for (JsonNode t :
        prometheus
            .api("/api/v1/targets", PrometheusServer.params("state", "active"))
            .path("activeTargets")) {
      if (t.path("labels").path("job").asText().equals(job)) {
        targets.put(
            t.path("labels").path("instance").asText(),
            new Builder(t.path("health").asText(), t.path("lastError").asText()));
      }
    }
    Window window = new Window(scrapesFrom.toEpochMilli(), scrapesTo.toEpochMilli());
    String selector = "{job=\"" + job + "\"}";
    long future = scrapesTo.getEpochSecond() + 86_400;
    for (JsonNode s :
        prometheus
            .api(
                "/api/v1/query",
                PrometheusServer.params(
                    "query", selector + "[" + RANGE + "]", "time", Long.toString(future)))
            .path("result")) {
      Builder b = targets.get(s.path("metric").path("instance").asText());
      SortedMap<String, String> labels = labels(s.path("metric"));
      if (b == null || SYNTHETIC.contains(labels.get("__name__"))) {
        continue;
      }
      SortedSet<String> samples = b.series.computeIfAbsent(labels, k -> new TreeSet<>());
      for (JsonNode v : s.path("values")) {
        samples.add(window.at(v.get(0)) + " " + v.get(1).asText());
      }
      for (JsonNode h : s.path("histograms")) {
        samples.add(window.at(h.get(0)) + " " + HISTOGRAM + h.get(1));
      }
    }
    for (JsonNode m :
        prometheus.api(
            "/api/v1/targets/metadata", PrometheusServer.params("match_target", selector))) {
      Builder b = targets.get(m.path("target").path("instance").asText());
      if (b != null) {
        b.metadata.put(
            m.path("metric").asText(),
            new Metadata(
                m.path("type").asText(), m.path("help").asText(), m.path("unit").asText()));
      }
    }
    for (JsonNode e :
        prometheus.api(
            "/api/v1/query_exemplars",
            PrometheusServer.params(
                "query", selector, "start", "-6000000000", "end", Long.toString(future)))) {
      Builder b = targets.get(e.path("seriesLabels").path("instance").asText());
      if (b == null) {
        continue;
      }
      SortedSet<String> exemplars =
          b.exemplars.computeIfAbsent(labels(e.path("seriesLabels")), k -> new TreeSet<>());
      for (JsonNode x : e.path("exemplars")) {
        exemplars.add(
            labels(x.path("labels"))
                + " "
                + x.path("value").asText()
                + " "
                + window.at(x.path("timestamp")));
      }
    }
    Map<String, StoredTarget> stored = new HashMap<>();
    targets.forEach((instance, b) -> stored.put(instance, b.build()));
    return stored;
  }

  private static SortedMap<String, String> labels(JsonNode metric) {
    SortedMap<String, String> labels = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> l = it.next();
      if (!l.getKey().equals("job") && !l.getKey().equals("instance")) {
        labels.put(l.getKey(), l.getValue().asText());
      }
    }
    return labels;
  }

  private record Window(long from, long to) {
    String at(JsonNode seconds) {
      long ms = Math.round(seconds.asDouble() * 1000);
      return ms >= from && ms <= to ? "@scrape" : "@" + ms;
    }
  }

  private static final class Builder {
    final String health;
    final String lastError;
    final SortedMap<SortedMap<String, String>, SortedSet<String>> series =
        new TreeMap<>(StoredTarget::compareLabels);
    final SortedMap<String, Metadata> metadata = new TreeMap<>();
    final SortedMap<SortedMap<String, String>, SortedSet<String>> exemplars =
        new TreeMap<>(StoredTarget::compareLabels);

    Builder(String health, String lastError) {
      this.health = health;
      this.lastError = lastError;
    }

    StoredTarget build() {
      return new StoredTarget(health, lastError, series, metadata, exemplars);
    }
  }

  /** Label sets in the order of their text, {@code __name__} first. */
  public static int compareLabels(SortedMap<String, String> a, SortedMap<String, String> b) {
    return a.toString().compareTo(b.toString());
  }
}
