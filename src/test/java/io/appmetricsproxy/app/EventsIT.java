package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.testing.SocketRelay;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;

/**
 * Docker events against a real engine, with cycles 30 s apart so that only events can explain what
 * is seen within a second.
 */
class EventsIT {
  private static final String BODY = "# TYPE up_events gauge\nup_events 1\n";
  private static final Duration SOON = Duration.ofSeconds(1);

  @TempDir Path store;
  @TempDir Path sockets;
  private TestContainers containers;
  private SocketRelay relay;
  private Proxy proxy;
  private Scheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    containers = new TestContainers();
    relay = new SocketRelay(containers.engine().dockerHost(), sockets.resolve("engine.sock"));
    relay.start();
    Config config =
        Config.fromEnvironment(
            Map.of("DOCKER_HOST", relay.dockerHost(), "SCRAPE_INTERVAL", "30"), store);
    proxy = Proxy.create(config);
    scheduler =
        Schedules.start(
            proxy.cycle(),
            config.scrape().interval(),
            proxy.replication(),
            Duration.ofSeconds(30),
            proxy.identity());
    proxy.watchEvents();
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.state().ready());
  }

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      Schedules.stop(scheduler);
    }
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

  private boolean served(String name) {
    return proxy.state().view().snapshot().get(name).isPresent();
  }

  @Test
  void startedIsServedAndRemovedIsDroppedWithinASecond() {
    String name = "amp-ev-" + containers.runId().substring(0, 8);
    Started s = containers.metrics(name, 8080, BODY, containers.labels());
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> served(name));

    containers.remove(s.id());
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> !served(name));
  }

  @Test
  void aLostEventStreamComesBackByItself() {
    String run = containers.runId().substring(0, 8);
    relay.cut();
    // while the stream is down, a container starts: the full cycle on reconnection finds it
    Started during = containers.metrics("amp-ev-during-" + run, 8080, BODY, containers.labels());
    await().atMost(Duration.ofSeconds(5)).until(() -> served(during.name()));

    // and events flow again
    Started after = containers.metrics("amp-ev-after-" + run, 8080, BODY, containers.labels());
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> served(after.name()));
    containers.remove(after.id());
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> !served(after.name()));
    assertThat(served(during.name())).isTrue();
  }
}
