package io.appmetricsproxy.status;

import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
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
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The proxy's own metrics, in a registry of this webapp's own (a second deployment in the same JVM
 * must not collide). Their names are a public interface. Exemplars are off: their sampler starts a
 * JVM-wide thread that would outlive the webapp. {@link #close()} releases what the JVM holds.
 */
public final class SelfMetrics implements AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge cycleDuration =
      Gauge.builder()
          .name("app_metrics_proxy_cycle_duration_seconds")
          .unit(Unit.SECONDS)
          .help("Wall time of the last discovery and scrape cycle.")
          .withoutExemplars()
          .register(registry);
  private final Counter cycles =
      Counter.builder()
          .name("app_metrics_proxy_cycles_total")
          .help("Discovery and scrape cycles run.")
          .withoutExemplars()
          .register(registry);
  private final Gauge targets =
      Gauge.builder()
          .name("app_metrics_proxy_targets")
          .help("Containers found on the engine that are scraped.")
          .withoutExemplars()
          .register(registry);
  private final Gauge up =
      Gauge.builder()
          .name("app_metrics_proxy_target_up")
          .labelNames("name", "container")
          .help("1 if the last scrape of the container gave valid metrics, else 0.")
          .withoutExemplars()
          .register(registry);
  private final Gauge scrapeDuration =
      Gauge.builder()
          .name("app_metrics_proxy_scrape_duration_seconds")
          .unit(Unit.SECONDS)
          .labelNames("name", "container")
          .help("Duration of the last scrape of the container.")
          .withoutExemplars()
          .register(registry);
  private final Counter scrapeErrors =
      Counter.builder()
          .name("app_metrics_proxy_scrape_errors_total")
          .labelNames("reason")
          .help("Failed scrapes by reason.")
          .withoutExemplars()
          .register(registry);
  private final Gauge engineUp =
      Gauge.builder()
          .name("app_metrics_proxy_engine_up")
          .help("1 if the last cycle could list the engine's containers, else 0.")
          .withoutExemplars()
          .register(registry);
  private final Gauge served =
      Gauge.builder()
          .name("app_metrics_proxy_served_names")
          .help("Names served at /<name>/metrics.")
          .withoutExemplars()
          .register(registry);

  private final Gauge replicationOk =
      Gauge.builder()
          .name("app_metrics_proxy_replication_ok")
          .help(
              "0 when replication should run but cannot (SSHPASS unset, Swarm unreadable, a task"
                  + " without address), else 1.")
          .withoutExemplars()
          .register(registry);
  private final Gauge peerUp =
      Gauge.builder()
          .name("app_metrics_proxy_peer_up")
          .labelNames("peer")
          .help("1 if the last exchange with the peer completed without error, else 0.")
          .withoutExemplars()
          .register(registry);
  private final Gauge peerLastSuccess =
      Gauge.builder()
          .name("app_metrics_proxy_peer_last_exchange_timestamp_seconds")
          .unit(Unit.SECONDS)
          .labelNames("peer")
          .help("When an exchange with the peer last completed, in seconds since the epoch.")
          .withoutExemplars()
          .register(registry);
  private final Gauge peerDuration =
      Gauge.builder()
          .name("app_metrics_proxy_peer_exchange_duration_seconds")
          .unit(Unit.SECONDS)
          .labelNames("peer")
          .help("Duration of the last exchange with the peer.")
          .withoutExemplars()
          .register(registry);
  private final Counter peerBytes =
      Counter.builder()
          .name("app_metrics_proxy_peer_bytes_total")
          .labelNames("peer", "direction")
          .help("Bytes on the wire to (sent) and from (received) the peer, SSH included.")
          .withoutExemplars()
          .register(registry);
  private final Counter peerEntries =
      Counter.builder()
          .name("app_metrics_proxy_peer_entries_total")
          .labelNames("peer", "direction")
          .help("Entry files sent to, received from, or deleted in exchanges with the peer.")
          .withoutExemplars()
          .register(registry);
  private final Counter peerErrors =
      Counter.builder()
          .name("app_metrics_proxy_peer_errors_total")
          .labelNames("peer")
          .help("Exchanges with the peer that failed or had files refused.")
          .withoutExemplars()
          .register(registry);
  private final AllocationMetrics allocation;

  public SelfMetrics() {
    for (ScrapeError.Reason reason : ScrapeError.Reason.values()) {
      scrapeErrors.initLabelValues(reason.label());
    }
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

  public void record(CycleReport report, int servedNames) {
    cycles.inc();
    cycleDuration.set(report.duration().toNanos() / 1e9);
    engineUp.set(report.engineError().isPresent() ? 0 : 1);
    served.set(servedNames);
    if (report.engineError().isPresent() && report.lastDiscoveryAt().isEmpty()) {
      return;
    }
    targets.set(report.results().size());
    Set<List<String>> current = new HashSet<>();
    for (ScrapeResult r : report.results()) {
      current.add(target(r));
    }
    up.removeIf(labels -> !current.contains(labels));
    scrapeDuration.removeIf(labels -> !current.contains(labels));
  }

  /** A refresh between cycles could not list the engine's containers. */
  public void engineDown() {
    engineUp.set(0);
  }

  /**
   * Scrapes that events triggered between cycles; {@code gone} are the results of containers that
   * events removed.
   */
  public void recordScrapes(List<ScrapeResult> fresh, List<ScrapeResult> gone) {
    fresh.forEach(this::target);
    for (ScrapeResult r : gone) {
      up.remove(r.target().name(), r.target().containerName());
      scrapeDuration.remove(r.target().name(), r.target().containerName());
    }
  }

  private List<String> target(ScrapeResult r) {
    String name = r.target().name();
    String container = r.target().containerName();
    up.labelValues(name, container).set(r.ok() ? 1 : 0);
    scrapeDuration.labelValues(name, container).set(r.duration().toNanos() / 1e9);
    if (r instanceof ScrapeResult.Failure f) {
      scrapeErrors.labelValues(f.error().reason().label()).inc();
    }
    return List.of(name, container);
  }

  public void record(ReplicationReport report) {
    replicationOk.set(report.problem().isPresent() ? 0 : 1);
    Set<List<String>> current = new HashSet<>();
    for (ReplicationReport.PeerReport p : report.peers()) {
      String peer = p.name();
      current.add(List.of(peer));
      peerUp.labelValues(peer).set(p.up() ? 1 : 0);
      p.lastSuccess()
          .ifPresent(at -> peerLastSuccess.labelValues(peer).set(at.toEpochMilli() / 1e3));
      peerDuration.labelValues(peer).set(p.duration().toNanos() / 1e9);
      peerBytes.labelValues(peer, "sent").inc(p.bytesSent());
      peerBytes.labelValues(peer, "received").inc(p.bytesReceived());
      peerEntries.labelValues(peer, "sent").inc(p.entriesSent());
      peerEntries.labelValues(peer, "received").inc(p.entriesReceived());
      peerEntries.labelValues(peer, "deleted").inc(p.deleted());
      peerErrors.labelValues(peer).inc(p.up() ? 0 : 1);
    }
    peerUp.removeIf(labels -> !current.contains(labels));
    peerLastSuccess.removeIf(labels -> !current.contains(labels));
    peerDuration.removeIf(labels -> !current.contains(labels));
  }
}
