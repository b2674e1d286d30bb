package io.appmetricsproxy.app;

import static io.appmetricsproxy.exposition.ProtoBodies.delimited;
import static io.appmetricsproxy.exposition.ProtoBodies.exemplar;
import static io.appmetricsproxy.exposition.ProtoBodies.family;
import static io.appmetricsproxy.exposition.ProtoBodies.gauge;
import static io.appmetricsproxy.exposition.ProtoBodies.histogramBody;
import static io.appmetricsproxy.exposition.ProtoBodies.label;
import static io.appmetricsproxy.exposition.ProtoBodies.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.ProtoBodies;
import io.appmetricsproxy.testing.ConformanceCorpus.Case;
import io.appmetricsproxy.testing.PrometheusServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ConformanceIT's protobuf cases, good and broken, made here byte by byte; their verdict is not
 * written down but taken in the same run from a real Prometheus with native histograms on, scraping
 * each body directly ({@link #judged}).
 */
final class ProtobufConformance {
  static final String SOURCE = "protobuf";
  static final List<String> FEATURES = List.of("native-histograms");

  private ProtobufConformance() {}

  /** The bodies, by id. */
  static Map<String, byte[]> bodies() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("pb-every-kind", ProtoBodies.everyKind());
    bodies.put(
        "pb-native-only",
        delimited(
            family("latency_seconds", "Native only.", 4)
                .message(4, message().message(1, label("op", "get")).message(7, nativeHistogram()))
                .message(
                    4, message().message(1, label("op", "put")).message(7, nativeHistogram()))));
    bodies.put(
        "pb-native-and-classic-with-exemplars",
        delimited(
            family("both_seconds", "Both forms.", 4)
                .message(
                    4,
                    message()
                        .message(
                            7,
                            nativeHistogram()
                                .message(
                                    3,
                                    message()
                                        .varint(1, 2)
                                        .fixed64(2, 0.5)
                                        .message(3, exemplar("t1", 0.3, 1_700_000_000L, 0)))
                                .message(3, message().varint(1, 4).fixed64(2, 1))))));
    bodies.put(
        "pb-float-native",
        delimited(
            family("float_seconds", null, 4)
                .message(
                    4,
                    message()
                        .message(
                            7,
                            message()
                                .fixed64(4, 3.5)
                                .fixed64(2, 2)
                                .sint(5, 1)
                                .fixed64(6, 0.001)
                                .fixed64(8, 0.5)
                                .message(12, message().sint(1, 0).varint(2, 2))
                                .fixed64(14, 1.5)
                                .fixed64(14, 1.5)))));
    bodies.put(
        "pb-counter-exemplar-created",
        delimited(
            family("jobs_total", "Jobs.", 0)
                .message(
                    4,
                    message()
                        .message(1, label("queue", "a"))
                        .message(
                            3,
                            message()
                                .fixed64(1, 42)
                                .message(2, exemplar("trace-9", 1, 1_700_000_001L, 500_000_000))
                                .message(3, message().varint(1, 1_690_000_000L))))));
    bodies.put(
        "pb-timestamps-escapes-empty-label",
        delimited(
            family("temp", "Line one\nline \\two \"q\".", 1)
                .message(
                    4,
                    message()
                        .message(1, label("room", "a\"b\\c\nd"))
                        .message(1, label("gone", ""))
                        .message(2, message().fixed64(1, -0.5))
                        .varint(6, 1_700_000_000_001L))));
    bodies.put(
        "pb-unknown-fields-and-repeated-name",
        delimited(
            family("g", null, 1)
                .message(4, message().message(2, message().fixed64(1, 1)).varint(30, 9))
                .string(25, "from the future"),
            family("g", null, 1)
                .message(
                    4, message().message(1, label("x", "2")).message(2, message().fixed64(1, 2))),
            message().string(1, "no metrics, never checked").varint(3, 99)));
    byte[] good = bodies.get("pb-every-kind");
    bodies.put("pb-bad-truncated-length", Arrays.copyOf(good, good.length - 5));
    bodies.put("pb-bad-garbage", "<html>no</html>\n".getBytes(StandardCharsets.UTF_8));
    bodies.put(
        "pb-bad-varint",
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
    bodies.put("pb-bad-metric-name", delimited(gauge("2fast")));
    bodies.put("pb-bad-label-name", delimited(gauge("g", label("a.b", "1"))));
    bodies.put("pb-bad-duplicate-label", delimited(gauge("g", label("a", "1"), label("a", "2"))));
    bodies.put("pb-bad-name-label", delimited(gauge("g", label("__name__", "g"))));
    bodies.put(
        "pb-bad-label-utf8",
        delimited(gauge("g", message().string(1, "a").bytes(2, new byte[] {(byte) 0xe2, 0x28}))));
    bodies.put("pb-bad-wire-type", delimited(message().varint(1, 3)));
    bodies.put("pb-bad-type", delimited(family("g", null, 7).message(4, message())));
    bodies.put(
        "pb-bad-le-label",
        delimited(
            family("h", null, 4)
                .message(
                    4, message().message(1, label("le", "1")).message(7, message().varint(1, 1)))));
    bodies.put(
        "pb-bad-native-spans",
        histogramBody(message().varint(1, 3).message(12, message().varint(2, 2)).sint(13, 1)));
    bodies.put(
        "pb-bad-native-negative-bucket",
        histogramBody(
            message().varint(1, 3).message(12, message().varint(2, 2)).sint(13, 1).sint(13, -2)));
    bodies.put(
        "pb-bad-native-count",
        histogramBody(message().varint(1, 1).message(12, message().varint(2, 1)).sint(13, 5)));
    return bodies;
  }

  /** A native histogram of schema 3 with a zero bucket, five observations. */
  private static ProtoBodies nativeHistogram() {
    return message()
        .varint(1, 5)
        .fixed64(2, 7.25)
        .sint(5, 3)
        .fixed64(6, 1e-128)
        .varint(7, 1)
        .message(12, message().sint(1, -2).varint(2, 2))
        .message(12, message().sint(1, 3).varint(2, 1))
        .sint(13, 1)
        .sint(13, 1)
        .sint(13, -1);
  }

  /** The cases as served, before their verdict is known (taken as accepted). */
  static List<Case> unjudged() {
    List<Case> cases = new ArrayList<>();
    bodies()
        .forEach(
            (id, body) ->
                cases.add(
                    new Case(
                        id, SOURCE, Optional.of(Format.PROTOBUF.contentType()), true, "", body)));
    return cases;
  }

  /**
   * The cases with the verdict of a Prometheus with native histograms on that scraped each of them
   * from {@code bodies} twice.
   */
  static List<Case> judged(LoopbackBodies bodies, Path dir) throws Exception {
    List<Case> unjudged = unjudged();
    StringBuilder yaml =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: verdict\n    static_configs:\n");
    for (Case c : unjudged) {
      yaml.append("      - targets: [\"127.0.0.1:")
          .append(bodies.port())
          .append("\"]\n        labels: {__metrics_path__: \"")
          .append(LoopbackBodies.path(c))
          .append("\", instance: \"")
          .append(c.id())
          .append("\"}\n");
    }
    Map<String, JsonNode> targets = new HashMap<>();
    try (PrometheusServer prometheus = PrometheusServer.start(dir, yaml.toString(), FEATURES)) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      Map<String, Integer> seen = new HashMap<>();
      while (System.nanoTime() < deadline
          && !(seen.size() == unjudged.size() && seen.values().stream().allMatch(n -> n >= 2))) {
        for (JsonNode t :
            prometheus
                .api("/api/v1/targets", PrometheusServer.params("state", "active"))
                .path("activeTargets")) {
          String id = t.path("labels").path("instance").asText();
          JsonNode before = targets.put(id, t);
          if (!t.path("lastScrape").asText().startsWith("0001")
              && (before == null
                  || !before.path("lastScrape").asText().equals(t.path("lastScrape").asText()))) {
            seen.merge(id, 1, Integer::sum);
          }
        }
        Thread.sleep(500);
      }
    }
    List<Case> judged = new ArrayList<>();
    for (Case c : unjudged) {
      JsonNode t = targets.get(c.id());
      if (t == null) {
        throw new IOException("Prometheus did not scrape " + c.id());
      }
      boolean up = t.path("health").asText().equals("up");
      judged.add(
          new Case(
              c.id(),
              c.source(),
              c.contentType(),
              up,
              up ? "" : t.path("lastError").asText(),
              c.body()));
    }
    return judged;
  }
}
