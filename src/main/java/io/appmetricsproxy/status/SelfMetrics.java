package io.appmetricsproxy.status;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;

/**
 * The proxy's own metrics, in a registry of this webapp's own (a second deployment in the same JVM
 * must not collide). Their names are a public interface. Exemplars are off: their sampler starts a
 * JVM-wide thread that would outlive the webapp. {@link #close()} releases what the JVM holds.
 */
public final class SelfMetrics implements AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CycleMetrics cycle = new CycleMetrics(registry);
  private final ReplicationMetrics replication = new ReplicationMetrics(registry);
  private final AllocationMetrics allocation;

  public SelfMetrics() {
    // JvmMetrics' set, with the allocation counter of our own: the library's cannot be released.
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    JvmNativeMemoryMetrics.builder().register(registry);
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
    allocation = new AllocationMetrics(registry, ManagementFactory.getGarbageCollectorMXBeans());
  }

  /** Removes the listener on the JVM's garbage collectors, which would keep this webapp alive. */
  @Override
  public void close() {
    allocation.close();
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public CycleMetrics cycle() {
    return cycle;
  }

  public ReplicationMetrics replication() {
    return replication;
  }
}
