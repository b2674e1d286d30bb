package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.DiscoveryException;
import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.status.CycleReport;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole cycle over a scripted target source and real HTTP targets on loopback. */
class CycleTest {
  @TempDir Path store;
  private HttpServer server;
  private Supplier<Discovery> engine;
  private Proxy proxy;
  private final Set<String> refusing = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          asked.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          if (refusing.contains(path)) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
          }
          byte[] body = ("value{path=\"" + path + "\"} 1\n").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    Config config = Config.fromEnvironment(Map.of("SCRAPE_INTERVAL", "1"), store);
    proxy =
        new Proxy(
            config,
            new TargetSource() {
              @Override
              public Discovery discover() {
                return engine.get();
              }

              @Override
              public void close() {}
            });
  }

  @AfterEach
  void stop() {
    proxy.close();
    server.stop(0);
  }

  private Target target(String id, String name) {
    return new Target(
        id, name + "-" + id, name, "127.0.0.1", List.of(server.getAddress().getPort()), "/" + id);
  }

  private String served(String name) {
    return proxy
        .state()
        .view()
        .snapshot()
        .get(name)
        .map(s -> new String(s.payload().toByteArray(), StandardCharsets.UTF_8))
        .orElse(null);
  }

  @Test
  void servesEveryTargetAndForgetsTheGone() throws Exception {
    engine =
        () ->
            new Discovery(
                "n1",
                List.of(target("a", "web"), target("b", "web"), target("c", "db")),
                List.of(new Skipped("d", "off", "label prometheus.io/scrape=false")));
    CycleReport first = proxy.cycle().run();
    assertThat(first.up()).isEqualTo(3);
    assertThat(served("db")).isEqualTo("value{path=\"/c\"} 1\n");
    assertThat(served("web")).contains("container=\"web-a\"", "container=\"web-b\"");
    assertThat(proxy.state().ready()).isTrue();

    engine = () -> new Discovery("n1", List.of(target("a", "web")), List.of());
    proxy.cycle().run();
    assertThat(served("db")).isNull();
    assertThat(served("web")).isEqualTo("value{path=\"/a\"} 1\n");
  }

  @Test
  void anEngineFailureKeepsServingWhatWasThereAndIsShown() throws Exception {
    engine = () -> new Discovery("n1", List.of(target("a", "web")), List.of());
    proxy.cycle().run();
    engine =
        () -> {
          throw new DiscoveryException("Docker engine at unix:///x.sock: Connection refused", null);
        };
    CycleReport report = proxy.cycle().run();
    assertThat(report.engineError())
        .contains("Docker engine at unix:///x.sock: Connection refused");
    assertThat(served("web")).isEqualTo("value{path=\"/a\"} 1\n");
    String metrics = ownMetrics();
    assertThat(metrics)
        .contains(
            "app_metrics_proxy_engine_up 0.0",
            "app_metrics_proxy_target_up{container=\"web-a\",name=\"web\"} 1.0");
  }

  @Test
  void withoutTheEngineTheTargetsOfTheLastDiscoveryAreScrapedAndThenReconciled() throws Exception {
    engine = () -> new Discovery("n1", List.of(target("a", "web"), target("c", "db")), List.of());
    CycleReport listed = proxy.cycle().run();
    Instant firstScrape = scrapedAt("web");
    engine =
        () -> {
          throw new DiscoveryException("Docker engine at unix:///x.sock: Read timed out", null);
        };
    Thread.sleep(5);
    CycleReport away = proxy.cycle().run();
    assertThat(away.engineError()).contains("Docker engine at unix:///x.sock: Read timed out");
    assertThat(away.lastDiscoveryAt()).contains(listed.startedAt());
    assertThat(away.node()).contains("n1");
    assertThat(away.up()).isEqualTo(2);
    assertThat(scrapedAt("web")).isAfter(firstScrape);
    assertThat(ownMetrics())
        .contains("app_metrics_proxy_engine_up 0.0", "app_metrics_proxy_targets 2.0");

    engine = () -> new Discovery("n1", List.of(target("b", "db")), List.of());
    CycleReport back = proxy.cycle().run();
    assertThat(back.engineError()).isEmpty();
    assertThat(back.lastDiscoveryAt()).isEmpty();
    assertThat(served("web")).isNull();
    assertThat(served("db")).isEqualTo("value{path=\"/b\"} 1\n");
  }

  /**
   * A container that stops answering while the engine cannot be listed may have stopped, and its
   * address may go to another container: it is not scraped again until the engine has answered for
   * one interval.
   */
  @Test
  void withoutTheEngineATargetThatStoppedAnsweringIsHeldBackUntilTheEngineAnswersForAnInterval()
      throws Exception {
    engine = () -> new Discovery("n1", List.of(target("a", "web"), target("x", "db")), List.of());
    CycleReport listed = proxy.cycle().run();
    assertThat(listed.up()).isEqualTo(2);
    engine =
        () -> {
          throw new DiscoveryException(
              "Docker engine at unix:///x.sock: no answer within 1 s", null);
        };
    refusing.add("/x");
    CycleReport failed = proxy.cycle().run();
    assertThat(failed.failure("db", "db-x")).isPresent();
    assertThat(asked.get("/x").get()).isEqualTo(2);
    String errorsAfterFailure = scrapeErrors();

    // another container answers at the address now: it is not asked, the failure is kept
    refusing.remove("/x");
    CycleReport held = proxy.cycle().run();
    CycleReport heldAgain = proxy.cycle().run();
    assertThat(asked.get("/x").get()).as("requests to the held-back address").isEqualTo(2);
    assertThat(asked.get("/a").get()).as("the target that answers goes on").isEqualTo(4);
    assertThat(held.results()).extracting(r -> r.target().containerId()).containsExactly("a", "x");
    assertThat(held.up()).isEqualTo(1);
    assertThat(held.failure("db", "db-x").orElseThrow().startedAt())
        .isEqualTo(failed.failure("db", "db-x").orElseThrow().startedAt());
    assertThat(held.failure("db", "db-x").orElseThrow().error().message())
        .contains(": HTTP 503")
        .endsWith(
            "; not scraped again until the engine has answered for 1 s (it could not be listed"
                + " after "
                + listed.startedAt()
                + ": this container may have stopped meanwhile, and its address gone to another)");
    assertThat(heldAgain.failure("db", "db-x")).isEqualTo(held.failure("db", "db-x"));
    assertThat(scrapeErrors())
        .as("a held-back failure is not counted again")
        .isEqualTo(errorsAfterFailure);
    assertThat(ownMetrics())
        .contains("app_metrics_proxy_target_up{container=\"db-x\",name=\"db\"} 0.0");

    // the engine's first answers may still list a container that stopped: one interval more
    engine = () -> new Discovery("n1", List.of(target("a", "web"), target("x", "db")), List.of());
    CycleReport back = proxy.cycle().run();
    assertThat(back.engineError()).isEmpty();
    assertThat(back.up()).isEqualTo(1);
    assertThat(asked.get("/x").get()).isEqualTo(2);
    Thread.sleep(1000); // SCRAPE_INTERVAL
    CycleReport later = proxy.cycle().run();
    assertThat(later.up()).isEqualTo(2);
    assertThat(asked.get("/x").get()).isEqualTo(3);
    assertThat(served("db")).isEqualTo("value{path=\"/x\"} 1\n");
  }

  @Test
  void aTargetThatFailedInTheOnlyCycleWithoutTheEngineIsHeldWhenTheEngineAnswers()
      throws Exception {
    Supplier<Discovery> listing =
        () -> new Discovery("n1", List.of(target("a", "web"), target("x", "db")), List.of());
    engine = listing;
    proxy.cycle().run();
    engine =
        () -> {
          throw new DiscoveryException(
              "Docker engine at unix:///x.sock: no answer within 1 s", null);
        };
    refusing.add("/x");
    proxy.cycle().run();
    refusing.remove("/x");
    engine = listing;
    CycleReport back = proxy.cycle().run();
    assertThat(back.failure("db", "db-x").orElseThrow().error().message())
        .contains("; not scraped again until the engine has answered for 1 s");
    assertThat(asked.get("/x").get()).isEqualTo(2);
    Thread.sleep(1000);
    assertThat(proxy.cycle().run().up()).isEqualTo(2);
    assertThat(asked.get("/x").get()).isEqualTo(3);
  }

  private String scrapeErrors() throws IOException {
    return ownMetrics()
        .lines()
        .filter(l -> l.startsWith("app_metrics_proxy_scrape_errors_total{"))
        .toList()
        .toString();
  }

  @Test
  void aRefreshThatCannotListReportsItAtOnceWithoutHoldingUpTheCycle() throws Exception {
    engine = () -> new Discovery("n1", List.of(target("a", "web")), List.of());
    proxy.cycle().run();
    engine =
        () -> {
          throw new DiscoveryException("Docker engine at unix:///x.sock: Connection refused", null);
        };
    assertThat(proxy.cycle().refresh(Set.of("a"))).containsExactly("a");
    assertThat(proxy.state().view().lastCycle().orElseThrow().engineError())
        .contains("Docker engine at unix:///x.sock: Connection refused");
    assertThat(ownMetrics()).contains("app_metrics_proxy_engine_up 0.0");
    assertThat(served("web")).isEqualTo("value{path=\"/a\"} 1\n");

    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    engine =
        () -> {
          if (calls.getAndIncrement() == 0) { // the refresh's call hangs until released
            asked.countDown();
            await(release);
          }
          throw new DiscoveryException("Docker engine at unix:///x.sock: Read timed out", null);
        };
    ExecutorService refresher = Executors.newSingleThreadExecutor();
    try {
      Future<Set<String>> refresh = refresher.submit(() -> proxy.cycle().refresh(Set.of("a")));
      assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
      // the cycle runs, and reports, while the refresh waits on the engine
      assertThat(proxy.cycle().run().engineError()).isPresent();
      release.countDown();
      assertThat(refresh.get(5, TimeUnit.SECONDS)).containsExactly("a");
    } finally {
      refresher.shutdownNow();
    }

    // the first refresh that lists the engine again reconciles everything, as a cycle
    engine = () -> new Discovery("n1", List.of(target("b", "db")), List.of());
    assertThat(proxy.cycle().refresh(Set.of("b"))).isEmpty();
    assertThat(proxy.state().view().lastCycle().orElseThrow().engineError()).isEmpty();
    assertThat(served("web")).isNull();
    assertThat(served("db")).isEqualTo("value{path=\"/b\"} 1\n");
    assertThat(ownMetrics()).contains("app_metrics_proxy_engine_up 1.0");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Instant scrapedAt(String name) {
    return proxy.state().view().snapshot().get(name).orElseThrow().lastModified();
  }

  @Test
  void ownMetricsDescribeTheCycle() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Target down = new Target("z", "down-z", "down", "127.0.0.1", List.of(closed), "/");
    engine = () -> new Discovery("n1", List.of(target("a", "web"), down), List.of());
    proxy.cycle().run();
    assertThat(ownMetrics())
        .contains(
            "app_metrics_proxy_targets 2.0",
            "app_metrics_proxy_engine_up 1.0",
            "app_metrics_proxy_target_up{container=\"down-z\",name=\"down\"} 0.0",
            "app_metrics_proxy_target_up{container=\"web-a\",name=\"web\"} 1.0",
            "app_metrics_proxy_scrape_errors_total{reason=\"connect\"} 1.0",
            "app_metrics_proxy_scrape_duration_seconds{container=\"web-a\",name=\"web\"}",
            "app_metrics_proxy_cycle_duration_seconds ");
    assertThat(gauge("app_metrics_proxy_discovery_duration_seconds"))
        .as("the engine's list is a part of the cycle")
        .isPositive()
        .isLessThanOrEqualTo(gauge("app_metrics_proxy_cycle_duration_seconds"));
    engine = () -> new Discovery("n1", List.of(target("a", "web")), List.of());
    proxy.cycle().run();
    assertThat(ownMetrics()).doesNotContain("down-z");
  }

  private double gauge(String name) throws IOException {
    return ownMetrics()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name));
  }

  private String ownMetrics() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, proxy.metrics().registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
