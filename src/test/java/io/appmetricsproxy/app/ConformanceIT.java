package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmetricsproxy.app.ConformanceReport.Difference;
import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.scrape.Corpus;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.serve.TestTomcat;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.testing.ConformanceCorpus;
import io.appmetricsproxy.testing.ConformanceCorpus.Case;
import io.appmetricsproxy.testing.PrometheusServer;
import io.appmetricsproxy.testing.StoredComparison;
import io.appmetricsproxy.testing.StoredTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy is a lens, over every case of the conformance corpus (see {@link ConformanceCorpus}):
 * each body is served on loopback with its Content-Type and scraped by the proxy's real cycle,
 * whose verdict must be Prometheus 2.42's (the current one's where it is more lenient, {@link
 * Corpus#MORE_LENIENT_NOW}: served as they came, 2.42 refuses those as it refuses them directly);
 * then a real Prometheus scrapes every accepted body directly and through the proxy's real webapp
 * resources in embedded Tomcat, for one container to an OpenMetrics client and to a text-only
 * client, and merged from two containers serving the same body (to both clients), and must store
 * the same series, samples, timestamps, metadata and exemplars each way. With native histograms on
 * (Prometheus asks for protobuf first), and with protobuf cases ({@link ProtobufConformance}: their
 * verdict is the one a Prometheus with native histograms gives scraping them directly in this run),
 * for which the Prometheus client gets protobuf, native histograms and all, and the text client the
 * classic form.
 */
class ConformanceIT {
  private static final String NODE = "conformance";

  @TempDir Path dir;

  @Test
  void prometheusStoresThroughTheProxyWhatItStoresFromTheBody() throws Exception {
    List<Case> corpus = ConformanceCorpus.load();
    PrometheusServer.require();
    List<Case> served = new ArrayList<>(corpus);
    served.addAll(ProtobufConformance.unjudged());
    Map<String, Case> byId = new LinkedHashMap<>();
    served.forEach(c -> byId.put(c.id(), c));
    assertThat(byId).as("case ids are unique").hasSameSizeAs(served);
    Files.createDirectories(dir.resolve("tomcat"));
    Files.createDirectories(dir.resolve("bodies"));
    Files.createDirectories(dir.resolve("prometheus"));
    Files.createDirectories(dir.resolve("verdicts"));
    long started = System.nanoTime();
    try (LoopbackBodies bodies = LoopbackBodies.start(served, dir.resolve("bodies"))) {
      List<Case> cases = new ArrayList<>(corpus);
      cases.addAll(ProtobufConformance.judged(bodies, dir.resolve("verdicts")));
      check(cases, bodies, started);
    }
  }

  private void check(List<Case> cases, LoopbackBodies bodies, long started) throws Exception {
    try (Proxy proxy = proxy(targets(cases, bodies.port()));
        TestTomcat tomcat = TestTomcat.webapp(dir.resolve("tomcat"), proxy.state())) {
      bodies.assertFaithful();
      bodies.relayTo(tomcat.port());
      CycleReport cycle = proxy.cycle().run();
      List<Difference> verdicts = verdicts(cases, cycle);
      List<Difference> reserved;
      String health;
      Map<Variant, Map<String, StoredTarget>> stored = new LinkedHashMap<>();
      Instant from = Instant.now();
      try (PrometheusServer prometheus =
          PrometheusServer.start(
              dir.resolve("prometheus"),
              config(cases, bodies, tomcat.port()),
              ProtobufConformance.FEATURES)) {
        awaitTwoScrapes(
            prometheus, cases.size() + (Variant.values().length - 1) * kept(cases).size());
        // Prometheus scrapes on while it is read: later samples count as taken at scrape time too
        Instant to = Instant.now().plus(Duration.ofMinutes(10));
        for (Variant v : Variant.values()) {
          stored.put(v, StoredTarget.readJob(prometheus, v.job(), from, to));
        }
        reserved = reserving(cases, refused(cycle), stored, bodies);
        health = ConformanceReport.health(stored);
      }
      String verdictTable =
          ConformanceReport.table("Verdict differences (proxy vs Prometheus 2.42)", verdicts);
      String reservingTable =
          ConformanceReport.table("Re-serving differences (through the proxy vs direct)", reserved);
      String report =
          ConformanceReport.summary(
                  cases, verdicts, reserved, (System.nanoTime() - started) / 1_000_000_000)
              + health
              + verdictTable
              + reservingTable;
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "conformance-report.txt"), report);
      SoftAssertions softly = new SoftAssertions();
      softly
          .assertThat(stored.get(Variant.DIRECT).values())
          .as("the direct scrapes stored exemplars, so that their comparison means something")
          .anyMatch(t -> !t.exemplars().isEmpty());
      softly.assertThat(verdicts).withFailMessage("%s", verdictTable).isEmpty();
      softly.assertThat(reserved).withFailMessage("%s", reservingTable).isEmpty();
      softly.assertAll();
    }
  }

  /**
   * The cases the proxy keeps: those Prometheus 2.42 accepts, and those only the current Prometheus
   * accepts ({@link Corpus#MORE_LENIENT_NOW}).
   */
  private static List<Case> kept(List<Case> cases) {
    return cases.stream().filter(ConformanceIT::kept).toList();
  }

  private static boolean kept(Case c) {
    return c.accepted() || Corpus.MORE_LENIENT_NOW.contains(c.id());
  }

  /** One container per case, and two replicas serving the same body per accepted case. */
  private static List<Target> targets(List<Case> cases, int port) {
    List<Target> targets = new ArrayList<>();
    for (Case c : cases) {
      targets.add(target("s-" + c.id(), "s-" + c.id(), c, port));
    }
    for (Case c : kept(cases)) {
      for (String replica : replicas(c)) {
        targets.add(target(replica, "m-" + c.id(), c, port));
      }
    }
    return targets;
  }

  private static Target target(String container, String name, Case c, int port) {
    return new Target(
        container, container, name, "127.0.0.1", List.of(port), LoopbackBodies.path(c));
  }

  private static List<String> replicas(Case c) {
    return List.of("m-" + c.id() + "-1", "m-" + c.id() + "-2");
  }

  private Proxy proxy(List<Target> targets) {
    Config config =
        Config.fromEnvironment(
            Map.of("SCRAPE_INTERVAL", "60", "SCRAPE_TIMEOUT", "10", "MAX_AGE", "3600"),
            dir.resolve("store"));
    return new Proxy(
        config,
        new TargetSource() {
          @Override
          public Discovery discover() {
            return new Discovery(NODE, targets, List.of());
          }

          @Override
          public void close() {}
        });
  }

  private static List<Difference> verdicts(List<Case> cases, CycleReport cycle) {
    Map<String, ScrapeResult> results =
        cycle.results().stream()
            .collect(Collectors.toMap(r -> r.target().containerId(), Function.identity()));
    List<Difference> differences = new ArrayList<>();
    for (Case c : cases) {
      ScrapeResult r = results.get("s-" + c.id());
      if (r.ok() != kept(c)) {
        differences.add(
            new Difference(
                c.id(),
                c.source(),
                "verdict",
                kept(c)
                    ? "refused, Prometheus accepts: " + ((ScrapeResult.Failure) r).error().message()
                    : "accepted, Prometheus refuses: " + c.prometheusError()));
      }
    }
    return differences;
  }

  private static String config(List<Case> cases, LoopbackBodies bodies, int proxy) {
    StringBuilder yaml =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "storage:\n  tsdb:\n    out_of_order_time_window: 200y\n"
                + "scrape_configs:\n");
    for (Variant v : Variant.values()) {
      yaml.append("  - job_name: ").append(v.job()).append('\n');
      yaml.append("    honor_timestamps: true\n    static_configs:\n");
      for (Case c : v == Variant.DIRECT ? cases : kept(cases)) {
        int port =
            switch (v) {
              case OPENMETRICS, MERGE -> proxy;
              default -> bodies.port();
            };
        String path =
            switch (v) {
              case DIRECT -> LoopbackBodies.path(c);
              case OPENMETRICS -> "/s-" + c.id() + "/metrics";
              case TEXT -> LoopbackBodies.relayPath("s-" + c.id());
              case MERGE -> "/m-" + c.id() + "/metrics";
              case MERGE_TEXT -> LoopbackBodies.relayPath("m-" + c.id());
            };
        yaml.append("      - targets: [\"")
            .append("127.0.0.1:" + port)
            .append("\"]\n        labels: {__metrics_path__: \"")
            .append(path)
            .append("\", instance: \"")
            .append(c.id())
            .append("\"}\n");
      }
    }
    return yaml.toString();
  }

  /**
   * Waits until every target has been scraped twice (at least once after all were once) and none's
   * last scrape timed out (a busy machine; the next scrape tells), at most 120 s.
   */
  static void awaitTwoScrapes(PrometheusServer prometheus, int targets) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    Instant allOnce = null;
    long timedOut = 0;
    while (System.nanoTime() < deadline) {
      JsonNode active =
          prometheus
              .api("/api/v1/targets", PrometheusServer.params("state", "active"))
              .path("activeTargets");
      Instant oldest = Instant.MAX;
      timedOut = 0;
      for (JsonNode t : active) {
        Instant last = Instant.parse(t.path("lastScrape").asText());
        oldest = last.isBefore(oldest) ? last : oldest;
        timedOut += t.path("lastError").asText().contains("deadline exceeded") ? 1 : 0;
      }
      if (active.size() == targets && oldest.isAfter(Instant.EPOCH)) {
        if (allOnce == null) {
          allOnce = Instant.now();
        } else if (oldest.isAfter(allOnce) && timedOut == 0) {
          return;
        }
      }
      Thread.sleep(500);
    }
    if (allOnce == null) {
      throw new AssertionError("Prometheus did not scrape all " + targets + " targets in 120 s");
    }
    System.out.println(timedOut + " targets' last scrape still timed out after 120 s");
  }

  private static List<Difference> reserving(
      List<Case> cases,
      Set<String> refused,
      Map<Variant, Map<String, StoredTarget>> stored,
      LoopbackBodies bodies) {
    List<Difference> differences = new ArrayList<>();
    for (Case c : cases) {
      StoredTarget direct = stored.get(Variant.DIRECT).get(c.id());
      if (direct.up() != c.accepted() && !StoredComparison.storageVerdict(direct)) {
        differences.add(
            new Difference(
                c.id(),
                c.source(),
                Variant.DIRECT.title,
                "this Prometheus "
                    + (direct.up() ? "accepts" : "refuses: " + direct.lastError())
                    + ", the corpus says otherwise"));
      }
      if (!kept(c) || refused.contains(c.id())) {
        continue; // a verdict difference already
      }
      if (!c.accepted()) { // kept as the current Prometheus keeps it: 2.42 refuses it served as is
        StoredTarget served = stored.get(Variant.OPENMETRICS).get(c.id());
        if (served.up() != direct.up()) {
          differences.add(
              new Difference(
                  c.id(),
                  c.source(),
                  Variant.OPENMETRICS.title,
                  "up " + served.up() + " through the proxy, " + direct.up() + " directly"));
        }
        continue; // a text client or a merge gets it without the exemplars 2.42 refuses
      }
      boolean protobuf = c.source().equals(ProtobufConformance.SOURCE);
      boolean openMetrics =
          protobuf || c.contentType().orElse("").startsWith("application/openmetrics-text");
      add(differences, c, Variant.OPENMETRICS, direct, stored, false, false);
      add(differences, c, Variant.TEXT, direct, stored, openMetrics, protobuf);
      addMerge(differences, c, Variant.MERGE, direct, stored, false, false);
      addMerge(differences, c, Variant.MERGE_TEXT, direct, stored, openMetrics, protobuf);
      for (String name : List.of("s-" + c.id(), "m-" + c.id())) {
        String type = bodies.relayedType(name);
        if (!type.startsWith("text/plain")) {
          differences.add(
              new Difference(
                  c.id(),
                  c.source(),
                  name.startsWith("s-") ? Variant.TEXT.title : Variant.MERGE_TEXT.title,
                  "answered the text-only client with Content-Type " + type));
        }
      }
    }
    return differences;
  }

  private static void addMerge(
      List<Difference> differences,
      Case c,
      Variant v,
      StoredTarget direct,
      Map<Variant, Map<String, StoredTarget>> stored,
      boolean textOfOpenMetrics,
      boolean textOfProtobuf) {
    StoredTarget merged = stored.get(v).get(c.id());
    Set<String> replicas = Set.copyOf(replicas(c));
    if (merged.up()) {
      for (String series : StoredComparison.unlabelled(merged, replicas)) {
        differences.add(
            new Difference(c.id(), c.source(), v.title, "no container label: " + series));
      }
    }
    for (String replica : replicas(c)) {
      for (String what :
          StoredComparison.differences(
              direct,
              StoredComparison.replica(merged, replica, replicas),
              textOfOpenMetrics,
              textOfProtobuf)) {
        differences.add(new Difference(c.id(), c.source(), v.title, replica + ": " + what));
      }
    }
  }

  private static Set<String> refused(CycleReport cycle) {
    return cycle.results().stream()
        .filter(r -> !r.ok() && r.target().containerId().startsWith("s-"))
        .map(r -> r.target().containerId().substring(2))
        .collect(Collectors.toSet());
  }

  private static void add(
      List<Difference> differences,
      Case c,
      Variant v,
      StoredTarget direct,
      Map<Variant, Map<String, StoredTarget>> stored,
      boolean textOfOpenMetrics,
      boolean textOfProtobuf) {
    for (String what :
        StoredComparison.differences(
            direct, stored.get(v).get(c.id()), textOfOpenMetrics, textOfProtobuf)) {
      differences.add(new Difference(c.id(), c.source(), v.title, what));
    }
  }
}
