package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.testing.Promtool;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's cycle against a real Docker engine and real containers of every kind. */
class StandaloneIT {
  private static final String APP =
      "# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\n"
          + "app_requests_total{code=\"200\"} 7\n";
  private static final String JVM =
      "# HELP jvm_threads Live threads.\n# TYPE jvm_threads gauge\njvm_threads 12\n";

  @TempDir Path store;
  private TestContainers containers;
  private Proxy proxy;
  private String run;

  @BeforeEach
  void start() {
    containers = new TestContainers();
    run = containers.runId().substring(0, 8);
    Config config =
        Config.fromEnvironment(
            Map.of(
                "DOCKER_HOST", containers.engine().dockerHost(),
                "SCRAPE_INTERVAL", "2",
                "PORTS", "9404",
                "METRICS_PATH", "'/metrics'"),
            store);
    proxy = Proxy.create(config);
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (containers != null) {
      containers.close();
    }
  }

  private Map<String, String> labels(String... keyValues) {
    Map<String, String> labels = new HashMap<>(containers.labels());
    for (int i = 0; i < keyValues.length; i += 2) {
      labels.put(keyValues[i], keyValues[i + 1]);
    }
    return labels;
  }

  private Optional<String> served(String name) {
    return proxy
        .state()
        .view()
        .snapshot()
        .get(name)
        .map(s -> new String(s.payload().toByteArray(), StandardCharsets.UTF_8));
  }

  private ScrapeResult result(CycleReport report, String containerName) {
    return report.results().stream()
        .filter(r -> r.target().containerName().equals(containerName))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyKindOfContainerIsServedOrExplained() throws Exception {
    Started on8080 = containers.metrics("amp-" + run + "-8080", 8080, APP, labels());
    Started on9100 = containers.metrics("amp-" + run + "-9100", 9100, JVM, labels());
    Started extra = containers.metrics("amp-" + run + "-extra", 9404, APP, labels());
    Started actuator =
        containers.metrics(
            "amp-" + run + "-actuator",
            8080,
            "/actuator/prometheus",
            JVM,
            labels("prometheus.io/path", "/actuator/prometheus"));
    Started exporter = containers.nodeExporter("amp-" + run + "-node", labels());
    Started silent = containers.silent("amp-" + run + "-silent", labels());
    Started hanging = containers.hanging("amp-" + run + "-hanging", 8080, labels());
    Started html = containers.html("amp-" + run + "-html", 8080, labels());
    Started off =
        containers.metrics(
            "amp-" + run + "-off", 8080, APP, labels("prometheus.io/scrape", "false"));
    Started renamed =
        containers.metrics(
            "amp-" + run + "-renamed",
            8080,
            APP,
            labels("app-metrics-proxy.name", "billing-" + run));

    CycleReport report = proxy.cycle().run();

    assertThat(report.engineError()).isEmpty();
    assertThat(served(on8080.name())).contains(APP);
    assertThat(served(on9100.name())).contains(JVM);
    assertThat(served(extra.name())).contains(APP);
    assertThat(served(actuator.name())).contains(JVM);
    assertThat(served("billing-" + run)).contains(APP);
    assertThat(served(renamed.name())).isEmpty();
    assertThat(served(exporter.name()))
        .hasValueSatisfying(
            body ->
                assertThat(body).contains("node_cpu_seconds_total", "node_exporter_build_info"));
    assertThat(((ScrapeResult.Success) result(report, on9100.name())).port()).isEqualTo(9100);
    assertThat(((ScrapeResult.Success) result(report, extra.name())).port()).isEqualTo(9404);

    assertThat(served(silent.name())).isEmpty();
    assertThat(((ScrapeResult.Failure) result(report, silent.name())).error().reason())
        .isEqualTo(ScrapeError.Reason.CONNECT);
    assertThat(served(hanging.name())).isEmpty();
    assertThat(((ScrapeResult.Failure) result(report, hanging.name())).error().reason())
        .isEqualTo(ScrapeError.Reason.TIMEOUT);
    assertThat(served(html.name())).isEmpty();
    assertThat(((ScrapeResult.Failure) result(report, html.name())).error())
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(ScrapeError.Reason.INVALID);
              assertThat(e.message()).contains("8080: HTTP 200 but not Prometheus text (line 1: ");
            });
    assertThat(report.skipped())
        .extracting(Skipped::containerName, Skipped::reason)
        .contains(
            org.assertj.core.groups.Tuple.tuple(off.name(), "label prometheus.io/scrape=false"));
    assertThat(served(off.name())).isEmpty();

    for (Served s : proxy.state().view().snapshot().all()) { // node_exporter's is protobuf
      Promtool.assertParses(s.name(), s.payload(Format.TEXT).toByteArray());
    }
  }

  @Test
  void replicasOfOneServiceAreServedAsOneExposition() throws Exception {
    String service = "web-" + run;
    Started one =
        containers.metrics(
            "amp-" + run + "-web-1",
            8080,
            APP,
            labels("com.docker.compose.service", service, "com.docker.compose.project", "it"));
    Started two =
        containers.metrics(
            "amp-" + run + "-web-2",
            9100,
            APP,
            labels("com.docker.compose.service", service, "com.docker.compose.project", "it"));

    proxy.cycle().run();

    String body = served(service).orElseThrow();
    assertThat(body)
        .containsOnlyOnce("# TYPE app_requests_total counter")
        .contains(
            "app_requests_total{code=\"200\",container=\"" + one.name() + "\"} 7",
            "app_requests_total{code=\"200\",container=\"" + two.name() + "\"} 7");
    Promtool.assertParses(service, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRemovedContainerIsNoLongerServedAfterTheNextCycle() throws Exception {
    Started gone = containers.metrics("amp-" + run + "-gone", 8080, APP, labels());
    Started stays = containers.metrics("amp-" + run + "-stays", 8080, JVM, labels());
    proxy.cycle().run();
    assertThat(served(gone.name())).contains(APP);
    try (var nodes = Files.list(store.resolve("shared"))) {
      assertThat(nodes.filter(Files::isDirectory)).hasSize(1); // this node's folder
    }

    containers.remove(gone.id());
    CycleReport after = proxy.cycle().run();

    assertThat(served(gone.name())).isEmpty();
    assertThat(served(stays.name())).contains(JVM);
    assertThat(after.results())
        .extracting(r -> r.target().containerName())
        .doesNotContain(gone.name());
    try (var files = Files.walk(store)) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.contains(gone.id()));
    }
  }

  @Test
  void theEngineGoingAwayKeepsWhatWasServedAndIsReported() throws Exception {
    Started app = containers.metrics("amp-" + run + "-app", 8080, APP, labels());
    proxy.cycle().run();
    Config unreachable =
        Config.fromEnvironment(
            Map.of(
                "DOCKER_HOST", "unix://" + store.resolve("no-engine.sock"), "SCRAPE_INTERVAL", "2"),
            store);
    try (Proxy down = Proxy.create(unreachable)) {
      CycleReport report = down.cycle().run();
      assertThat(report.engineError())
          .hasValueSatisfying(
              e ->
                  assertThat(e)
                      .startsWith("Docker engine at unix://" + store.resolve("no-engine.sock")));
      assertThat(down.state().view().snapshot().get(app.name())).isPresent();
    }
  }
}
