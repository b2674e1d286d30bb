package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmetricsproxy.testing.RestartableEngine;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine hangs: the proxy's real dockerd is stopped with SIGSTOP for 20 s (its sockets accept
 * and answer nothing; its containers run on) and resumed with SIGCONT, while the WAR runs on its
 * own schedule (SCRAPE_INTERVAL=2, MAX_AGE=6) and every name is fetched every 100 ms. No answer
 * carries a scrape older than MAX_AGE; the fault is on the index, in /api/targets and in engine_up
 * within the first cycle after the stop; the running containers are served throughout; and
 * afterwards a container killed during the hang is dropped and one started during it is served.
 */
class HungEngineIT {
  private static final String APP = "# TYPE app_up gauge\napp_up 1\n";
  private static final Duration MAX_AGE = Duration.ofSeconds(6);
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final Duration HANG = Duration.ofSeconds(20);
  private static final int STABLE = 6;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path base;
  private RestartableEngine engine;
  private EmbeddedWebapp webapp;
  private ScheduledExecutorService poller;

  /** One answer of {@code /<name>/metrics}. */
  private record Answer(Instant at, String name, int status, Optional<Instant> lastModified) {
    Duration age() {
      return Duration.between(lastModified.orElseThrow(), at);
    }
  }

  /**
   * What the proxy said about the engine at one poll, and the oldest scrape it served then (from
   * /api/targets, to the millisecond).
   */
  private record Engine(
      Instant at, boolean metricDown, boolean jsonError, boolean banner, Duration oldest) {}

  @AfterEach
  void stop() throws Exception {
    if (poller != null) {
      poller.shutdownNow();
    }
    if (webapp != null) {
      webapp.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aHungEngineServesNothingTooOldIsReportedAndRunningContainersStayServed() throws Exception {
    engine = RestartableEngine.start(true);
    TestContainers kit = new TestContainers(engine.admin(), false);
    String run = kit.runId().substring(0, 6);
    List<String> stable = new ArrayList<>();
    for (int i = 0; i < STABLE; i++) {
      stable.add(kit.metrics("hung-" + run + "-s" + i, 8080, APP, kit.labels()).name());
    }
    Started doomed = kit.metrics("hung-" + run + "-killed", 8080, APP, kit.labels());
    long doomedPid =
        engine.admin().client().inspectContainerCmd(doomed.id()).exec().getState().getPidLong();
    String born = "hung-" + run + "-born";
    webapp =
        EmbeddedWebapp.start(
            base.resolve("tomcat"),
            100,
            Map.of(
                "DOCKER_HOST", engine.dockerHost(),
                "SCRAPE_INTERVAL", Long.toString(INTERVAL.toSeconds()),
                "MAX_AGE", Long.toString(MAX_AGE.toSeconds()),
                "STORE_DIR", base.resolve("store").toString()));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> targets().path("lastCycle").path("up").asInt() == STABLE + 1);

    List<String> watched = new ArrayList<>(stable);
    watched.add(doomed.name());
    watched.add(born);
    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Engine> reports = new ConcurrentLinkedQueue<>();
    poller = Executors.newSingleThreadScheduledExecutor();
    poller.scheduleAtFixedRate(
        () -> poll(watched, answers, reports), 0, 100, TimeUnit.MILLISECONDS);
    Thread.sleep(3000);

    Instant hung = Instant.now();
    engine.hang();
    Thread.sleep(1000);
    // gone while the engine cannot tell: its process, which this test started, killed by pid
    assertThat(ProcessHandle.of(doomedPid).orElseThrow().destroyForcibly()).isTrue();
    // started during the hang: the engine takes the request and answers it once resumed
    CompletableFuture<Started> started =
        CompletableFuture.supplyAsync(() -> kit.metrics(born, 8080, APP, kit.labels()));
    Thread.sleep(HANG.minusSeconds(1).toMillis());
    JsonNode during = targets();
    Instant resumed = Instant.now();
    engine.resume();
    Started bornStarted = started.get(60, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> reconciled(stable, born));
    Duration reconciledAfter = Duration.between(resumed, Instant.now());
    Thread.sleep(1000);
    poller.shutdown();
    poller.awaitTermination(10, TimeUnit.SECONDS);

    // never a scrape older than MAX_AGE (Last-Modified has whole seconds: 1 s of slack)
    Duration oldest =
        answers.stream()
            .filter(a -> a.status() == 200)
            .map(Answer::age)
            .max(Duration::compareTo)
            .orElseThrow();
    assertThat(oldest).as("longest age served").isLessThan(MAX_AGE.plusSeconds(1));
    Duration oldestListed =
        reports.stream().map(Engine::oldest).max(Duration::compareTo).orElseThrow();
    assertThat(oldestListed).as("longest age in /api/targets").isLessThan(MAX_AGE.plusMillis(500));
    // the fault is reported by the first cycle after the stop: at most one interval, plus the
    // engine call deadline (half the interval), plus a poll
    Duration toReport = firstReport(reports, hung);
    assertThat(toReport).isLessThanOrEqualTo(INTERVAL.plus(INTERVAL.dividedBy(2)).plusMillis(500));
    // the stable names answered 200 throughout the hang
    Set<String> servedThroughout = new TreeSet<>(stable);
    long stablePolls = 0;
    for (Answer a : answers) {
      if (stable.contains(a.name()) && a.at().isAfter(hung) && a.at().isBefore(resumed)) {
        stablePolls++;
        if (a.status() != 200) {
          servedThroughout.remove(a.name());
        }
      }
    }
    assertThat(servedThroughout).containsExactlyInAnyOrderElementsOf(stable);
    assertThat(stablePolls).isGreaterThan(STABLE * HANG.toSeconds() * 3);
    // during the hang the index shows the stable ones as from the last discovery
    assertThat(during.path("engine").path("error").asText()).startsWith("Docker engine at ");
    for (JsonNode t : during.path("targets")) {
      if (stable.contains(t.path("name").asText())) {
        assertThat(t.path("fromDiscoveryAt").isTextual()).as(t.toString()).isTrue();
        assertThat(t.path("up").asBoolean()).as(t.toString()).isTrue();
      }
    }
    // the killed one: served until MAX_AGE, then 404 (it failed after the hang began)
    Optional<Instant> killedLast =
        answers.stream()
            .filter(a -> a.name().equals(doomed.name()) && a.status() == 200)
            .map(Answer::at)
            .max(Instant::compareTo);
    assertThat(killedLast).hasValueSatisfying(at -> assertThat(at).isBefore(resumed));

    System.out.printf(
        "[hung-engine] dockerd SIGSTOPped for %d s: %d answers polled every 100 ms, longest age"
            + " served (now - Last-Modified, whole seconds) %d ms, by /api/targets' lastScrapeAt"
            + " %d ms; fault reported %d ms after the stop (engine_up"
            + " 0, engine.error, banner: %s); stable names served throughout %d of %d (%d polls);"
            + " killed container last served %d ms after the stop; reconciled %d ms after SIGCONT"
            + " (killed one dropped, one started during the hang served); the new container took"
            + " the killed one's address: %s%n",
        HANG.toSeconds(),
        answers.size(),
        oldest.toMillis(),
        oldestListed.toMillis(),
        toReport.toMillis(),
        reportTimes(reports, hung),
        servedThroughout.size(),
        STABLE,
        stablePolls,
        Duration.between(hung, killedLast.orElseThrow()).toMillis(),
        reconciledAfter.toMillis(),
        bornStarted.ip().equals(doomed.ip()) ? "yes, " + doomed.ip() : "no");
  }

  private void poll(
      List<String> names, ConcurrentLinkedQueue<Answer> answers, ConcurrentLinkedQueue<Engine> r) {
    try {
      for (String name : names) {
        HttpResponse<String> a = webapp.get("/" + name + "/metrics");
        answers.add(
            new Answer(
                Instant.now(),
                name,
                a.statusCode(),
                a.headers()
                    .firstValue("Last-Modified")
                    .map(
                        d ->
                            ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant())));
      }
      Instant at = Instant.now();
      boolean metricDown =
          webapp.get("/metrics").body().lines().anyMatch("app_metrics_proxy_engine_up 0.0"::equals);
      JsonNode targets = targets();
      Instant now = Instant.now();
      Duration oldest =
          StreamSupport.stream(targets.path("targets").spliterator(), false)
              .filter(t -> t.path("served").asBoolean())
              .map(t -> Duration.between(Instant.parse(t.path("lastScrapeAt").asText()), now))
              .max(Duration::compareTo)
              .orElse(Duration.ZERO);
      boolean jsonError = !targets.path("engine").path("error").isNull();
      boolean banner = webapp.get("/").body().contains("Docker engine unreachable: ");
      r.add(new Engine(at, metricDown, jsonError, banner, oldest));
    } catch (Exception e) {
      System.err.println("[hung-engine] poll failed: " + e);
    }
  }

  private JsonNode targets() throws Exception {
    return JSON.readTree(webapp.get("/api/targets").body());
  }

  /** The engine answers again: all the running ones, and only them, served and listed. */
  private boolean reconciled(List<String> stable, String born) throws Exception {
    JsonNode t = targets();
    Set<String> listed = new TreeSet<>();
    StreamSupport.stream(t.path("targets").spliterator(), false)
        .filter(n -> n.path("served").asBoolean() && n.path("fromDiscoveryAt").isNull())
        .forEach(n -> listed.add(n.path("name").asText()));
    Set<String> expected = new TreeSet<>(stable);
    expected.add(born);
    return t.path("engine").path("error").isNull()
        && listed.equals(expected)
        && t.path("targets").size() == expected.size()
        && webapp.get("/" + born + "/metrics").statusCode() == 200
        && webapp
            .get("/metrics")
            .body()
            .lines()
            .anyMatch("app_metrics_proxy_engine_up 1.0"::equals);
  }

  /** From the stop until the first poll where all three said the engine is unreachable. */
  private static Duration firstReport(ConcurrentLinkedQueue<Engine> reports, Instant hung) {
    return reports.stream()
        .filter(e -> e.at().isAfter(hung) && e.metricDown() && e.jsonError() && e.banner())
        .map(e -> Duration.between(hung, e.at()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the hang was never reported"));
  }

  private static String reportTimes(ConcurrentLinkedQueue<Engine> reports, Instant hung) {
    return List.of("metric", "json", "banner").stream()
        .map(
            what ->
                what
                    + " "
                    + reports.stream()
                        .filter(e -> e.at().isAfter(hung))
                        .filter(
                            e ->
                                switch (what) {
                                  case "metric" -> e.metricDown();
                                  case "json" -> e.jsonError();
                                  default -> e.banner();
                                })
                        .map(e -> Duration.between(hung, e.at()).toMillis() + " ms")
                        .findFirst()
                        .orElse("never"))
        .reduce((a, b) -> a + ", " + b)
        .orElseThrow();
  }
}
