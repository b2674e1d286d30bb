package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.testing.RestartableEngine;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import io.appmetricsproxy.testing.UnixConnections;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's engine is a real dockerd that is stopped (SIGTERM by pid) and started again on the
 * same socket and data-root, three times, while the proxy runs on: nothing older than MAX_AGE is
 * served, containers that run on are scraped from the last discovery, the report names the engine
 * as down and why, the proxy recovers by itself and its event stream comes back, and no thread or
 * engine connection is left behind. With live-restore the containers run on; without it, their
 * restart policy brings them back.
 */
class EngineRestartIT {
  private static final String APP = "# TYPE app_up gauge\napp_up 1\n";
  private static final Duration MAX_AGE = Duration.ofSeconds(5);
  private static final Duration SOON = Duration.ofSeconds(1);
  private static final int RESTARTS = 3;

  @TempDir Path store;
  private RestartableEngine engine;
  private Proxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void withLiveRestoreTheContainersRunOnAndStayServed() throws Exception {
    restarts(true);
  }

  @Test
  void withoutLiveRestoreTheRestartPolicyBringsThemBackAndTheyAreServedAgain() throws Exception {
    restarts(false);
  }

  private void restarts(boolean liveRestore) throws Exception {
    String mode = liveRestore ? "live-restore" : "restart policy";
    long t0 = System.nanoTime();
    engine = RestartableEngine.start(liveRestore);
    TestContainers kit = new TestContainers(engine.admin(), !liveRestore);
    // without live-restore: a container without restart policy holds the first address, so that
    // the two served ones get other addresses when the engine starts them again without it
    if (!liveRestore) {
      new TestContainers(engine.admin(), false).silent("amp-rst-filler", Map.of());
    }
    List<Started> apps =
        List.of(
            kit.metrics("amp-rst-a", 8080, APP, kit.labels()),
            kit.metrics("amp-rst-b", 9100, APP, kit.labels()));
    proxy = EngineOutageIT.proxyOn(engine.dockerHost(), MAX_AGE, store.resolve("store"));
    proxy.watchEvents();
    assertThat(proxy.cycle().run().up()).isEqualTo(2);
    eventsFollowed(kit, 0); // the event stream is up before the count
    proxy.cycle().run();
    assertThat(engineUp()).isOne();
    Map<String, Long> threadsBefore = threads();
    UnixConnections.Count connectionsBefore = UnixConnections.to(engine.socket());
    System.out.printf(
        "[engine-restart] %s: set up in %d ms%n", mode, (System.nanoTime() - t0) / 1_000_000);

    for (int round = 1; round <= RESTARTS; round++) {
      Instant lastGood = lastScrape(apps);
      Duration stopping = engine.stop();
      CycleReport during = proxy.cycle().run();
      assertThat(during.engineError())
          .as("%s, restart %d: the report says why", mode, round)
          .hasValueSatisfying(
              e -> assertThat(e).matches("Docker engine at \\Q" + engine.dockerHost() + "\\E: .+"));
      assertThat(engineUp()).isZero();
      long servedDuring = apps.stream().filter(s -> served(s.name())).count();
      if (liveRestore) {
        assertThat(servedDuring).as("within MAX_AGE of %s", lastGood).isEqualTo(2);
      }
      assertNothingOlderThanMaxAge();
      if (liveRestore && round == RESTARTS) {
        // this outage outlasts MAX_AGE: the containers run on without their engine, so the
        // targets of the last discovery are scraped again and served, never older than MAX_AGE
        Thread.sleep(
            Math.max(0, Duration.between(Instant.now(), lastGood.plus(MAX_AGE)).toMillis()) + 500);
        CycleReport late = proxy.cycle().run();
        assertThat(late.engineError()).isPresent();
        assertThat(late.lastDiscoveryAt()).isPresent();
        assertThat(late.up()).isEqualTo(2);
        assertThat(apps).allMatch(s -> served(s.name()));
        assertNothingOlderThanMaxAge();
      }

      Instant startedAt = Instant.now();
      Duration ready = engine.start();
      // the event stream comes back by itself: its full cycle on reconnection is published
      // without the test running one
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> cycledSince(startedAt));
      Duration reconnected = Duration.between(startedAt, Instant.now());
      // served again: at once with live-restore; without, as soon as the restarted ones answer
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      CycleReport after = proxy.cycle().run();
      while (after.up() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        after = proxy.cycle().run();
      }
      Duration servedAgain = Duration.between(startedAt, Instant.now());
      assertThat(after.engineError()).as("%s, restart %d: recovered", mode, round).isEmpty();
      assertThat(after.up()).isEqualTo(2);
      assertThat(engineUp()).isOne();
      assertThat(apps).allMatch(s -> served(s.name()));
      TestContainers current = new TestContainers(engine.admin(), false);
      long moved = 0;
      for (Started s : apps) { // same container (id) again; its address may be another one
        Started now = current.inspect(s.id());
        moved += now.ip().equals(s.ip()) ? 0 : 1;
        assertThat(after.results())
            .filteredOn(r -> r.target().containerId().equals(s.id()))
            .singleElement()
            .satisfies(r -> assertThat(r.target().host()).isEqualTo(now.ip()));
      }
      apps = apps.stream().map(s -> current.inspect(s.id())).toList();
      Duration event = eventsFollowed(current, round);
      System.out.printf(
          "[engine-restart] %s, restart %d: dockerd stopped in %d ms; served during the outage %d"
              + " of 2 (%s); %d of 2 on a new address after; dockerd answered %d ms after start, event stream back after %d ms,"
              + " served again after %d ms; a new container served %d ms after it answered%n",
          mode,
          round,
          stopping.toMillis(),
          servedDuring,
          during.engineError().orElseThrow(),
          moved,
          ready.toMillis(),
          reconnected.toMillis(),
          servedAgain.toMillis(),
          event.toMillis());
    }
    proxy.cycle().run();

    System.out.printf(
        "[engine-restart] %s: restarts done at %d ms%n",
        mode, (System.nanoTime() - t0) / 1_000_000);
    Map<String, Long> threadsAfter = threads();
    UnixConnections.Count connectionsAfter = UnixConnections.to(engine.socket());
    System.out.printf(
        "[engine-restart] %s: threads before %s, after %s; engine connections before %s, after %s%n",
        mode, threadsBefore, threadsAfter, connectionsBefore, connectionsAfter);
    assertThat(without(threadsAfter, "amp-scrape-"))
        .as("threads after the restarts")
        .isEqualTo(without(threadsBefore, "amp-scrape-"));
    assertThat(threadsAfter.getOrDefault("amp-scrape-", 0L))
        .isLessThanOrEqualTo(proxy.config().scrape().concurrency());
    assertThat(connectionsAfter.open()).isLessThanOrEqualTo(connectionsBefore.open());
    assertThat(connectionsAfter.dead()).isLessThanOrEqualTo(connectionsBefore.dead());
  }

  /**
   * A container started now is served within a second, and dropped within a second of its removal,
   * with no cycle run meanwhile: only the event stream explains it. Returns the time to served.
   */
  private Duration eventsFollowed(TestContainers kit, int round) {
    Started s = kit.metrics("amp-rst-event-" + round, 8080, APP, kit.labels());
    long started = System.nanoTime();
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> served(s.name()));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    kit.remove(s.id());
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> !served(s.name()));
    return took;
  }

  private boolean served(String name) {
    return proxy.state().view().snapshot().get(name).isPresent();
  }

  private boolean cycledSince(Instant since) {
    Optional<CycleReport> last = proxy.state().view().lastCycle();
    return last.isPresent()
        && last.get().startedAt().isAfter(since)
        && last.get().engineError().isEmpty();
  }

  /** When the older of the apps' served scrapes was made. */
  private Instant lastScrape(List<Started> apps) {
    return apps.stream()
        .map(s -> proxy.state().view().snapshot().get(s.name()).orElseThrow())
        .flatMap(served -> served.entries().stream())
        .map(Entry::scrapedAt)
        .min(Instant::compareTo)
        .orElseThrow();
  }

  private void assertNothingOlderThanMaxAge() {
    Instant now = Instant.now();
    for (Served s : proxy.state().view().snapshot().all()) {
      assertThat(s.entries())
          .allSatisfy(e -> assertThat(e.scrapedAt()).isAfter(now.minus(MAX_AGE).minusMillis(500)));
    }
  }

  private double engineUp() {
    return proxy.metrics().registry().scrape().stream()
        .filter(m -> m.getMetadata().getName().equals("app_metrics_proxy_engine_up"))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Long> without(Map<String, Long> threads, String prefix) {
    return threads.entrySet().stream()
        .filter(e -> !e.getKey().equals(prefix))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /**
   * Live threads by name, a numbered pool's threads under its prefix (amp-scrape-, the event
   * stream's docker-java-stream-): not the JVM's own, nor the JDK HTTP client workers of the test
   * kit, which come and go on their own, nor the metrics library's scheduler, started once per JVM
   * when first needed.
   */
  private static Map<String, Long> threads() throws InterruptedException {
    Thread.sleep(500);
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> !n.startsWith("HttpClient-") && !n.startsWith("relay-"))
        .filter(n -> !n.startsWith("Common-Cleaner") && !n.startsWith("process reaper"))
        .filter(n -> !n.startsWith("prometheus-metrics-scheduler")) // the library's, one per JVM
        .map(n -> n.replaceFirst("^(amp-scrape-|docker-java-stream-).*", "$1"))
        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
  }
}
