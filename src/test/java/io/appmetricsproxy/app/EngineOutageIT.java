package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.testing.SocketRelay;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's API goes away during cycles and comes back, five times: the containers of the last
 * discovery are scraped meanwhile, nothing older than MAX_AGE is served, the proxy recovers (and
 * reconciles a container removed during the outage) by itself, and no thread or engine connection
 * is left behind. The engine is reached through a {@link SocketRelay} that is closed and reopened
 * (the containers run on).
 */
class EngineOutageIT {
  private static final String APP = "# TYPE app_up gauge\napp_up 1\n";
  private static final Duration MAX_AGE = Duration.ofSeconds(5);

  @TempDir Path store;
  private TestContainers containers;
  private SocketRelay relay;
  private Proxy proxy;

  @BeforeEach
  void start() throws Exception {
    containers = new TestContainers();
    relay = new SocketRelay(containers.engine().dockerHost(), store.resolve("engine.sock"));
    relay.start();
    proxy = proxyOn(relay.dockerHost(), MAX_AGE, store.resolve("store"));
  }

  /** A proxy of 2 s cycles on the engine at {@code dockerHost}, its store in {@code dir}. */
  static Proxy proxyOn(String dockerHost, Duration maxAge, Path dir) {
    return Proxy.create(
        Config.fromEnvironment(
            Map.of(
                "DOCKER_HOST",
                dockerHost,
                "SCRAPE_INTERVAL",
                "2",
                "MAX_AGE",
                Long.toString(maxAge.toSeconds())),
            dir));
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (containers != null) {
      containers.close();
    }
  }

  private boolean served(Started s) {
    return proxy.state().view().snapshot().get(s.name()).isPresent();
  }

  @Test
  void theEngineStoppingAndStartingKeepsServingAndLeaksNothing() throws Exception {
    String run = containers.runId().substring(0, 8);
    Started a = containers.metrics("amp-" + run + "-a", 8080, APP, containers.labels());
    Started b = containers.metrics("amp-" + run + "-b", 9100, APP, containers.labels());
    proxy.cycle().run();
    proxy.cycle().run();
    Set<String> threadsBefore = threads();
    int connectionsBefore = relay.openConnections();

    for (int outage = 1; outage <= 5; outage++) {
      relay.stop();
      long down = System.nanoTime();
      CycleReport during = proxy.cycle().run();
      assertThat(during.engineError())
          .as("outage %d", outage)
          .hasValueSatisfying(
              e -> assertThat(e).startsWith("Docker engine at " + relay.dockerHost()));
      assertThat(during.duration()).isLessThan(Duration.ofSeconds(7));
      assertThat(served(a)).as("within MAX_AGE").isTrue();
      assertThat(served(b)).isTrue();
      if (outage == 5) {
        // the last outage outlasts MAX_AGE, and b is removed during it (the engine runs on
        // behind the relay): a still answers and is served from the last discovery; b's last
        // good scrape is served until MAX_AGE, then not
        containers.remove(b.id());
        Thread.sleep(MAX_AGE.toMillis() - (System.nanoTime() - down) / 1_000_000 + 1500);
        CycleReport late = proxy.cycle().run();
        assertThat(late.lastDiscoveryAt()).isPresent();
        assertThat(served(a)).as("still answering after MAX_AGE").isTrue();
        assertThat(served(b)).as("gone, after MAX_AGE").isFalse();
      }

      relay.start();
      CycleReport after = proxy.cycle().run();
      assertThat(after.engineError()).as("recovered after outage %d", outage).isEmpty();
      assertThat(after.lastDiscoveryAt()).isEmpty();
      assertThat(after.up()).isEqualTo(outage == 5 ? 1 : 2);
      assertThat(after.results()).hasSize(outage == 5 ? 1 : 2); // the removed one reconciled
      assertThat(served(a)).isTrue();
      assertThat(served(b)).isEqualTo(outage < 5);
    }
    proxy.cycle().run();

    // the proxy's threads are the same ones (the scrape pool grows up to SCRAPE_CONCURRENCY by
    // design); its engine connections are no more than before
    Set<String> threadsAfter = threads();
    assertThat(without(threadsAfter, "amp-scrape-"))
        .as("threads after the outages")
        .isEqualTo(without(threadsBefore, "amp-scrape-"));
    assertThat(threadsAfter.stream().filter(n -> n.startsWith("amp-scrape-")))
        .hasSizeLessThanOrEqualTo(proxy.config().scrape().concurrency());
    assertThat(relay.openConnections()).isLessThanOrEqualTo(Math.max(connectionsBefore, 4));
  }

  /**
   * The engine hangs behind the relay (connections accepted, nothing forwarded) while a container
   * is removed and another started on it: each cycle reports the hang within the engine call
   * deadline and scrapes the last discovery's targets; once the engine answers, all is reconciled.
   */
  @Test
  void anEngineThatHangsIsAFaultAndTheRunningContainersStayServed() throws Exception {
    String run = containers.runId().substring(0, 8);
    Started a = containers.metrics("amp-" + run + "-a", 8080, APP, containers.labels());
    Started b = containers.metrics("amp-" + run + "-b", 8080, APP, containers.labels());
    proxy.cycle().run();
    relay.hang();
    // c first: started after b's removal it would take b's address (the next test)
    Started c = containers.metrics("amp-" + run + "-c", 8080, APP, containers.labels());
    containers.remove(b.id());
    for (int i = 0; i < 4; i++) { // past MAX_AGE
      long start = System.nanoTime();
      CycleReport hung = proxy.cycle().run();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the engine's deadline (1 s) and the scrapes")
          .isLessThan(Duration.ofMillis(1000 + 3000));
      assertThat(hung.engineError())
          .contains("Docker engine at " + relay.dockerHost() + ": no answer within 1 s");
      assertThat(hung.lastDiscoveryAt()).isPresent();
      assertThat(hung.results()).hasSize(2);
      assertThat(served(a)).isTrue();
      assertThat(served(c)).isFalse();
      Thread.sleep(1000);
    }
    assertThat(served(b)).as("removed, its last scrape older than MAX_AGE").isFalse();

    relay.resume();
    assertReconciled(a, c);
  }

  /** The first cycle once the relay forwards again lists and serves {@code running}, and only. */
  private void assertReconciled(Started... running) throws InterruptedException {
    CycleReport after = proxy.cycle().run();
    assertThat(after.engineError()).isEmpty();
    assertThat(after.lastDiscoveryAt()).isEmpty();
    assertThat(after.results())
        .extracting(r -> r.target().containerId())
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(running).map(Started::id).toList());
    assertThat(running).allMatch(this::served);
  }

  /**
   * The engine hangs behind the relay, a container is removed, and one started after that takes its
   * address: the removed one, which stopped answering while the engine could not be asked, is not
   * scraped again, so the new container's metrics are never served under its name.
   */
  @Test
  void aContainerGoneWhileTheEngineHangsIsNotServedWhenAnotherTakesItsAddress() throws Exception {
    String run = containers.runId().substring(0, 8);
    Started a = containers.metrics("amp-" + run + "-a", 8080, APP, containers.labels());
    Started b = containers.metrics("amp-" + run + "-b", 8080, APP, containers.labels());
    proxy.cycle().run();
    relay.hang();
    containers.remove(b.id());
    CycleReport failed = proxy.cycle().run();
    ScrapeResult.Failure bFailed = failed.failure(b.name(), b.name()).orElseThrow();
    Started c = containers.metrics("amp-" + run + "-c", 8080, APP, containers.labels());
    assertThat(c.ip()).as("the engine hands out the freed address first").isEqualTo(b.ip());
    long start = System.nanoTime();
    while (System.nanoTime() - start < MAX_AGE.plusSeconds(1).toNanos()) {
      CycleReport hung = proxy.cycle().run();
      assertThat(hung.lastDiscoveryAt()).isPresent();
      assertThat(hung.failure(b.name(), b.name()))
          .as("b, not scraped at the address c took")
          .isPresent();
      ScrapeResult.Failure bHeld = hung.failure(b.name(), b.name()).get();
      assertThat(bHeld.startedAt()).as("not scraped again").isEqualTo(bFailed.startedAt());
      assertThat(bHeld.error().message())
          .startsWith(bFailed.error().message() + "; not scraped again until the engine has");
      assertThat(served(a)).isTrue();
      Thread.sleep(500);
    }
    assertThat(served(b)).as("its last good scrape older than MAX_AGE, and no other").isFalse();

    relay.resume();
    assertReconciled(a, c);
    assertThat(served(b)).isFalse();
  }

  private static Set<String> without(Set<String> threads, String prefix) {
    return threads.stream().filter(n -> !n.startsWith(prefix)).collect(Collectors.toSet());
  }

  /**
   * Live threads of the proxy and its libraries (not JUnit's, the relay's, the JVM's own, or the
   * JDK HTTP client workers of other tests in this JVM, which come and go on their own).
   */
  private static Set<String> threads() throws InterruptedException {
    Thread.sleep(500);
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(t -> t.getName() + "#" + t.getId())
        .filter(n -> !n.startsWith("relay-") && !n.startsWith("HttpClient-"))
        .filter(n -> !n.startsWith("Common-Cleaner") && !n.startsWith("process reaper"))
        .collect(Collectors.toSet());
  }
}
