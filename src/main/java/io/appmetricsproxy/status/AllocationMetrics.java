package io.appmetricsproxy.status;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * {@code jvm_memory_pool_allocated_bytes_total}, counted as client_java's
 * JvmMemoryPoolAllocationMetrics counts it, from a listener on the JVM-wide garbage collector beans
 * that {@link #close()} removes again. The library's listener is never removed: it kept every
 * undeployed webapp's class loader reachable, and its counter's exemplar sampler started a thread
 * that did too.
 */
final class AllocationMetrics implements NotificationListener, AutoCloseable {
  private final Counter allocated;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final Map<String, Long> usedAfterLastGc = new HashMap<>();

  AllocationMetrics(PrometheusRegistry registry, List<GarbageCollectorMXBean> collectors) {
    allocated =
        Counter.builder()
            .name("jvm_memory_pool_allocated_bytes_total")
            .help(
                "Total bytes allocated in a given JVM memory pool. Only updated after GC, not"
                    + " continuously.")
            .labelNames("pool")
            .withoutExemplars()
            .register(registry);
    for (GarbageCollectorMXBean collector : collectors) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(this, null, null);
        emitters.add(emitter);
      }
    }
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GcInfo gc =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
            .getGcInfo();
    Map<String, MemoryUsage> after = gc.getMemoryUsageAfterGc();
    gc.getMemoryUsageBeforeGc()
        .forEach(
            (pool, before) -> {
              MemoryUsage usedAfter = after.get(pool);
              if (usedAfter != null) {
                collected(pool, before.getUsed(), usedAfter.getUsed());
              }
            });
  }

  /**
   * Counts what a pool grew by between the last collection and this one, and during this one; a
   * shrinking pool counts nothing.
   */
  synchronized void collected(String pool, long usedBefore, long usedAfter) {
    Long last = usedAfterLastGc.put(pool, usedAfter);
    long increase =
        Math.max(0, usedBefore - (last == null ? 0 : last)) + Math.max(0, usedAfter - usedBefore);
    if (increase > 0) {
      allocated.labelValues(pool).inc(increase);
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(this);
      } catch (ListenerNotFoundException ignored) {
        // already removed
      }
    }
    emitters.clear();
  }
}
