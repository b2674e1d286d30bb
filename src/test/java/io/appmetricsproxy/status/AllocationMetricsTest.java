package io.appmetricsproxy.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class AllocationMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @Test
  void countsGrowthBetweenAndDuringCollectionsNeverShrinking() {
    try (AllocationMetrics metrics = new AllocationMetrics(registry, List.of())) {
      metrics.collected("eden", 100, 0); // 100 since start
      metrics.collected("eden", 70, 0); // 70 since the last collection
      metrics.collected("old", 10, 50); // 10 before, 40 during
      metrics.collected("old", 30, 20); // shrank since and during: nothing
      assertThat(allocated("eden")).isEqualTo(170);
      assertThat(allocated("old")).isEqualTo(50);
    }
  }

  @Test
  void closeRemovesTheListenerFromEveryCollector() {
    Collector young = new Collector();
    Collector old = new Collector();
    AllocationMetrics metrics = new AllocationMetrics(registry, List.of(young, old));
    assertThat(young.listeners).containsExactly(metrics);
    assertThat(old.listeners).containsExactly(metrics);

    metrics.close();

    assertThat(young.listeners).isEmpty();
    assertThat(old.listeners).isEmpty();
  }

  @Test
  void countsWhatTheJvmsCollectorsReport() {
    try (AllocationMetrics metrics =
        new AllocationMetrics(registry, ManagementFactory.getGarbageCollectorMXBeans())) {
      System.gc();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> registry.scrape().stream().anyMatch(s -> !s.getDataPoints().isEmpty()));
    }
  }

  private double allocated(String pool) {
    CounterSnapshot counter = (CounterSnapshot) registry.scrape().get(0);
    return counter.getDataPoints().stream()
        .filter(d -> d.getLabels().equals(Labels.of("pool", pool)))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  /** A garbage collector bean that keeps its listeners in a list. */
  private static final class Collector implements GarbageCollectorMXBean, NotificationEmitter {
    final List<NotificationListener> listeners = new ArrayList<>();

    @Override
    public void addNotificationListener(
        NotificationListener listener, NotificationFilter filter, Object handback) {
      listeners.add(listener);
    }

    @Override
    public void removeNotificationListener(NotificationListener listener) {
      listeners.remove(listener);
    }

    @Override
    public void removeNotificationListener(
        NotificationListener listener, NotificationFilter filter, Object handback) {
      listeners.remove(listener);
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
      return new MBeanNotificationInfo[0];
    }

    @Override
    public long getCollectionCount() {
      return 0;
    }

    @Override
    public long getCollectionTime() {
      return 0;
    }

    @Override
    public String getName() {
      return "fake";
    }

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public String[] getMemoryPoolNames() {
      return new String[0];
    }

    @Override
    public ObjectName getObjectName() {
      return null;
    }
  }
}
