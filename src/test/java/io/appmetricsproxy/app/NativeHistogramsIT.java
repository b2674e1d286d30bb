package io.appmetricsproxy.app;

import static io.appmetricsproxy.testing.nhapp.NativeHistogramsApp.BOTH;
import static io.appmetricsproxy.testing.nhapp.NativeHistogramsApp.CLASSIC;
import static io.appmetricsproxy.testing.nhapp.NativeHistogramsApp.NATIVE;
import static io.appmetricsproxy.testing.nhapp.NativeHistogramsApp.REQUESTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.serve.TestTomcat;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.testing.JavaImage;
import io.appmetricsproxy.testing.PrometheusServer;
import io.appmetricsproxy.testing.StoredComparison;
import io.appmetricsproxy.testing.StoredTarget;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import io.appmetricsproxy.testing.nhapp.NativeHistogramsApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms and exemplars survive the proxy (issue 16). A client_java 1.x application
 * ({@link NativeHistogramsApp}: a native-only, a classic-only and a two-form histogram, a counter
 * with exemplars) runs in containers of its own image on the real test engine: one alone, two as
 * replicas of one Compose service. The proxy's real cycle discovers and scrapes them; its webapp
 * resources in embedded Tomcat serve them. Two real Prometheus 2.42 scrape each container directly
 * and through the proxy: one with native histograms (it asks for protobuf), one without (it asks
 * for OpenMetrics). Each must store the same both ways, the replicas' series told apart by the
 * proxy's {@code container} label: with native histograms every series (the native ones bucket by
 * bucket), their {@code histogram_count}, {@code histogram_sum} and {@code histogram_quantile(0.9,
 * …)}, the classic buckets, metadata and exemplars; without, every series, metadata and exemplar
 * too: the classic forms, and of the native-only histogram its count, sum and +Inf bucket, as the
 * application writes it in text. The proxy's {@code /api/targets} says it scraped protobuf and
 * names the native-only histogram, whose buckets only protobuf carries. What that second Prometheus
 * gets of each kind directly and through the proxy is written to
 * target/native-histograms-report.txt.
 */
class NativeHistogramsIT {
  private static final String WITH_NATIVE = "with native histograms";
  private static final String WITHOUT_NATIVE = "without native histograms";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FUNCTIONS =
      List.of("histogram_count(%s)", "histogram_sum(%s)", "histogram_quantile(0.9, %s)");

  @TempDir Path dir;

  @Test
  void prometheusStoresThroughTheProxyWhatItStoresFromTheApplication() throws Exception {
    PrometheusServer.require();
    long started = System.nanoTime();
    try (TestContainers containers = new TestContainers()) {
      String image = JavaImage.nativeHistogramsApp(containers.engine());
      String run = containers.runId().substring(0, 8);
      String alone = "nh-" + run;
      String service = "nh-web-" + run;
      Map<String, String> compose = new HashMap<>(containers.labels());
      compose.put("com.docker.compose.project", "nh");
      compose.put("com.docker.compose.service", service);
      Map<String, String> direct = new TreeMap<>(); // container name -> address:port
      direct.put(alone, app(containers, image, alone, 8080, containers.labels()));
      direct.put(service + "-1", app(containers, image, service + "-1", 9100, compose));
      direct.put(service + "-2", app(containers, image, service + "-2", 8080, compose));
      Set<String> replicas = Set.of(service + "-1", service + "-2");
      long ready = System.nanoTime();

      Files.createDirectories(dir.resolve("tomcat"));
      try (Proxy proxy = Proxy.create(config(containers));
          TestTomcat tomcat = TestTomcat.webapp(dir.resolve("tomcat"), proxy.state())) {
        CycleReport cycle = proxy.cycle().run();
        assertThat(cycle.results())
            .filteredOn(r -> direct.containsKey(r.target().containerName()))
            .as("the proxy's scrapes of the application")
            .hasSize(3)
            .allSatisfy(r -> assertThat(r).isInstanceOf(ScrapeResult.Success.class));
        Map<String, String> asScraped = new TreeMap<>(); // container -> format, native-only names
        for (JsonNode t :
            JSON.readTree(tomcat.send("GET", "/api/targets").body()).path("targets")) {
          if (direct.containsKey(t.path("container").asText())) {
            asScraped.put(
                t.path("container").asText(),
                t.path("format").asText() + " " + t.path("nativeOnly"));
          }
        }
        String yaml = prometheusConfig(direct, tomcat.port(), alone, service);
        Instant from = Instant.now();
        Map<String, Map<String, Map<String, StoredTarget>>> stored = new TreeMap<>();
        Map<String, Map<String, Map<String, Double>>> functions = new TreeMap<>();
        try (PrometheusServer withNative =
                PrometheusServer.start(
                    prometheusDir("with-native"), yaml, List.of("native-histograms"));
            PrometheusServer withoutNative =
                PrometheusServer.start(prometheusDir("without-native"), yaml, List.of())) {
          ConformanceIT.awaitTwoScrapes(withNative, direct.size() + 2);
          ConformanceIT.awaitTwoScrapes(withoutNative, direct.size() + 2);
          Instant to = Instant.now().plus(Duration.ofMinutes(10));
          for (String job : List.of("direct", "proxy")) {
            stored
                .computeIfAbsent(WITH_NATIVE, k -> new TreeMap<>())
                .put(job, StoredTarget.readJob(withNative, job, from, to));
            stored
                .computeIfAbsent(WITHOUT_NATIVE, k -> new TreeMap<>())
                .put(job, StoredTarget.readJob(withoutNative, job, from, to));
            for (String histogram : List.of(NATIVE, BOTH)) {
              for (String f : FUNCTIONS) {
                String query = f.formatted(histogram + "{job=\"" + job + "\"}");
                functions
                    .computeIfAbsent(f.formatted(histogram), k -> new TreeMap<>())
                    .put(job, byContainer(withNative, query));
              }
            }
          }
        }
        long compared = System.nanoTime();
        String report =
            report(stored.get(WITHOUT_NATIVE), alone)
                + String.format(
                    "%nimage and containers %d s, proxy and Prometheus %d s%n",
                    (ready - started) / 1_000_000_000, (compared - ready) / 1_000_000_000);
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "native-histograms-report.txt"), report);

        SoftAssertions softly = new SoftAssertions();
        softly
            .assertThat(asScraped)
            .as("/api/targets: the format scraped and the histograms a client without it misses")
            .containsOnlyKeys(direct.keySet())
            .allSatisfy(
                (container, scraped) ->
                    assertThat(scraped).isEqualTo("protobuf [\"" + NATIVE + "\"]"));
        Map<String, StoredTarget> nativeDirect = stored.get(WITH_NATIVE).get("direct");
        Map<String, StoredTarget> classicDirect = stored.get(WITHOUT_NATIVE).get("direct");
        for (String container : direct.keySet()) {
          assertStoredTheApplication(softly, container, nativeDirect.get(container), true);
          assertStoredTheApplication(softly, container, classicDirect.get(container), false);
        }
        functions.forEach(
            (query, byJob) -> {
              softly
                  .assertThat(byJob.get("proxy"))
                  .as("%s through the proxy, as directly", query)
                  .isEqualTo(byJob.get("direct"));
              softly
                  .assertThat(byJob.get("direct"))
                  .as("%s directly", query)
                  .containsOnlyKeys(direct.keySet())
                  .allSatisfy((container, value) -> assertExpected(query, value));
            });
        softly
            .assertThat(
                differences(stored.get(WITH_NATIVE), alone, service, replicas, name -> true))
            .as("what Prometheus with native histograms stores through the proxy, not directly")
            .isEmpty();
        softly
            .assertThat(
                differences(stored.get(WITHOUT_NATIVE), alone, service, replicas, name -> true))
            .as(
                "what Prometheus without native histograms stores through the proxy, not directly"
                    + " (the native-only histogram too: its count, sum and +Inf bucket)")
            .isEmpty();
        softly.assertAll();
      }
    }
  }

  /** Starts the application in a container; returns its address:port. */
  private static String app(
      TestContainers containers, String image, String name, int port, Map<String, String> labels) {
    Started s =
        containers.app(
            image,
            name,
            port,
            labels,
            JavaImage.command(NativeHistogramsApp.class, Integer.toString(port)));
    return s.ip() + ":" + port;
  }

  private Config config(TestContainers containers) {
    return Config.fromEnvironment(
        Map.of(
            "DOCKER_HOST", containers.engine().dockerHost(),
            "SCRAPE_INTERVAL", "60",
            "SCRAPE_TIMEOUT", "10",
            "MAX_AGE", "3600"),
        dir.resolve("store"));
  }

  private Path prometheusDir(String name) throws Exception {
    return Files.createDirectories(dir.resolve(name));
  }

  /**
   * Job "direct": each container's own /metrics; job "proxy": the container alone's name and the
   * service's name at the proxy. Each target's instance label is the name it stands for.
   */
  private static String prometheusConfig(
      Map<String, String> direct, int proxyPort, String alone, String service) {
    StringBuilder yaml =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
                + "  - job_name: direct\n    static_configs:\n");
    direct.forEach(
        (name, address) ->
            yaml.append("      - targets: [\"")
                .append(address)
                .append("\"]\n        labels: {instance: \"")
                .append(name)
                .append("\"}\n"));
    yaml.append("  - job_name: proxy\n    static_configs:\n");
    for (String name : List.of(alone, service)) {
      yaml.append("      - targets: [\"127.0.0.1:")
          .append(proxyPort)
          .append("\"]\n        labels: {__metrics_path__: \"/")
          .append(name)
          .append("/metrics\", instance: \"")
          .append(name)
          .append("\"}\n");
    }
    return yaml.toString();
  }

  /**
   * An instant query's values by the container they stand for: the {@code container} label the
   * proxy adds to a replica's series, else the instance.
   */
  private static Map<String, Double> byContainer(PrometheusServer prometheus, String query)
      throws Exception {
    Map<String, Double> values = new TreeMap<>();
    for (JsonNode r :
        prometheus.api("/api/v1/query", PrometheusServer.params("query", query)).path("result")) {
      JsonNode metric = r.path("metric");
      String key =
          metric.has("container")
              ? metric.path("container").asText()
              : metric.path("instance").asText();
      values.put(key, r.path("value").get(1).asDouble());
    }
    return values;
  }

  /** What the application observed: 40 values i / 8, whose 90th percentile lies near 4.5. */
  private static void assertExpected(String query, double value) {
    if (query.startsWith("histogram_count")) {
      assertThat(value).as(query).isEqualTo(NativeHistogramsApp.OBSERVATIONS.size());
    } else if (query.startsWith("histogram_sum")) {
      assertThat(value)
          .as(query)
          .isEqualTo(NativeHistogramsApp.OBSERVATIONS.stream().mapToDouble(d -> d).sum());
    } else {
      assertThat(value).as(query).isBetween(4.0, 5.0);
    }
  }

  /**
   * The direct scrape stored the application as the Prometheus reads it, so that the comparison
   * means something: with native histograms, the native-only and two-form histograms as native
   * samples; without, the two-form one as classic buckets; always the classic-only buckets, the
   * counter and their exemplars.
   */
  private static void assertStoredTheApplication(
      SoftAssertions softly, String container, StoredTarget t, boolean nativeHistograms) {
    String as = container + (nativeHistograms ? " with" : " without") + " native histograms";
    softly.assertThat(t.up()).as("%s: up (%s)", as, t.lastError()).isTrue();
    List<String> names = new ArrayList<>();
    t.series().keySet().forEach(s -> names.add(StoredComparison.show(s)));
    int buckets = NativeHistogramsApp.BOUNDS.size() + 1;
    softly
        .assertThat(names)
        .as("%s: series", as)
        .contains(
            REQUESTS + "{path=\"/a\"}", REQUESTS + "{path=\"/b\"}", REQUESTS + "{path=\"/c\"}")
        .contains(CLASSIC + "_bucket{le=\"0.5\"}", CLASSIC + "_bucket{le=\"+Inf\"}")
        .filteredOn(n -> n.startsWith(CLASSIC + "_bucket"))
        .hasSize(buckets);
    Predicate<String> twoFormBuckets = n -> n.startsWith(BOTH + "_bucket");
    if (nativeHistograms) {
      softly
          .assertThat(names)
          .as("%s: series", as)
          .contains(NATIVE, BOTH)
          .noneMatch(twoFormBuckets);
      softly
          .assertThat(t.series().get(new TreeMap<>(Map.of("__name__", NATIVE))))
          .as("%s: the native histogram's samples", as)
          .isNotEmpty()
          .allMatch(sample -> sample.contains("\"count\":\"40\""));
    } else {
      softly.assertThat(names).as("%s: series", as).filteredOn(twoFormBuckets).hasSize(buckets);
    }
    softly
        .assertThat(t.exemplars().keySet().stream().map(StoredComparison::show).toList())
        .as("%s: series with exemplars", as)
        .containsExactlyInAnyOrder(
            CLASSIC + "_bucket{le=\"1.0\"}",
            REQUESTS + "{path=\"/a\"}",
            REQUESTS + "{path=\"/b\"}",
            REQUESTS + "{path=\"/c\"}");
  }

  /**
   * Where one Prometheus stored otherwise through the proxy than directly, over the families that
   * {@code compared} accepts: the container alone, and each replica's part of the merge.
   */
  private static List<String> differences(
      Map<String, Map<String, StoredTarget>> byJob,
      String alone,
      String service,
      Set<String> replicas,
      Predicate<String> compared) {
    Map<String, StoredTarget> direct = byJob.get("direct");
    Map<String, StoredTarget> proxy = byJob.get("proxy");
    List<String> out = new ArrayList<>();
    StoredComparison.differences(
            only(direct.get(alone), compared), only(proxy.get(alone), compared), false)
        .forEach(d -> out.add(alone + ": " + d));
    StoredTarget merged = proxy.get(service);
    if (merged.up()) {
      StoredComparison.unlabelled(merged, replicas)
          .forEach(s -> out.add(service + ": no container label: " + s));
    }
    for (String replica : new TreeSet<>(replicas)) {
      StoredComparison.differences(
              only(direct.get(replica), compared),
              only(StoredComparison.replica(merged, replica, replicas), compared),
              false)
          .forEach(d -> out.add(service + ", " + replica + ": " + d));
    }
    return out;
  }

  /** {@code t} with only the series, metadata and exemplars of the names {@code keep} accepts. */
  private static StoredTarget only(StoredTarget t, Predicate<String> keep) {
    SortedMap<String, StoredTarget.Metadata> metadata = new TreeMap<>(t.metadata());
    metadata.keySet().removeIf(keep.negate());
    return new StoredTarget(
        t.health(),
        t.lastError(),
        filtered(t.series(), keep),
        metadata,
        filtered(t.exemplars(), keep));
  }

  private static <V> SortedMap<SortedMap<String, String>, V> filtered(
      SortedMap<SortedMap<String, String>, V> series, Predicate<String> keep) {
    SortedMap<SortedMap<String, String>, V> kept = new TreeMap<>(StoredTarget::compareLabels);
    series.forEach(
        (labels, v) -> {
          if (keep.test(labels.getOrDefault("__name__", ""))) {
            kept.put(labels, v);
          }
        });
    return kept;
  }

  /**
   * What Prometheus without native histograms stores of each histogram kind, directly and through
   * the proxy, from the container alone: series names, and samples of the count.
   */
  private static String report(Map<String, Map<String, StoredTarget>> byJob, String alone) {
    StringBuilder out =
        new StringBuilder("What Prometheus 2.42 without native histograms stores (text client)\n");
    for (String family : List.of(NATIVE, CLASSIC, BOTH)) {
      out.append(family).append('\n');
      for (String job : List.of("direct", "proxy")) {
        StoredTarget t = byJob.get(job).get(alone);
        out.append("  ").append(job).append(": ");
        if (!t.up()) {
          out.append("down: ").append(t.lastError()).append('\n');
          continue;
        }
        List<String> series = new ArrayList<>();
        t.series()
            .forEach(
                (labels, samples) -> {
                  if (labels.getOrDefault("__name__", "").startsWith(family)) {
                    series.add(StoredComparison.show(labels) + " " + samples);
                  }
                });
        out.append(series.isEmpty() ? "nothing" : String.join(", ", series)).append('\n');
      }
    }
    return out.toString();
  }
}
