package io.appmetricsproxy.status;

import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The own metrics of the discovery and scrape cycles, from their reports. */
public final class CycleMetrics {
  private final Gauge cycleDuration;
  private final Gauge discoveryDuration;
  private final Counter cycles;
  private final Gauge targets;
  private final Gauge up;
  private final Gauge scrapeDuration;
  private final Counter scrapeErrors;
  private final Gauge engineUp;
  private final Gauge served;

  CycleMetrics(PrometheusRegistry registry) {
    cycleDuration =
        Gauge.builder()
            .name("app_metrics_proxy_cycle_duration_seconds")
            .unit(Unit.SECONDS)
            .help("Wall time of the last discovery and scrape cycle.")
            .withoutExemplars()
            .register(registry);
    discoveryDuration =
        Gauge.builder()
            .name("app_metrics_proxy_discovery_duration_seconds")
            .unit(Unit.SECONDS)
            .help(
                "Wall time of the last look at the Docker engine: its list of running containers.")
            .withoutExemplars()
            .register(registry);
    cycles =
        Counter.builder()
            .name("app_metrics_proxy_cycles_total")
            .help("Discovery and scrape cycles run.")
            .withoutExemplars()
            .register(registry);
    targets =
        Gauge.builder()
            .name("app_metrics_proxy_targets")
            .help("Containers found on the engine that are scraped.")
            .withoutExemplars()
            .register(registry);
    up =
        Gauge.builder()
            .name("app_metrics_proxy_target_up")
            .labelNames("name", "container")
            .help("1 if the last scrape of the container gave valid metrics, else 0.")
            .withoutExemplars()
            .register(registry);
    scrapeDuration =
        Gauge.builder()
            .name("app_metrics_proxy_scrape_duration_seconds")
            .unit(Unit.SECONDS)
            .labelNames("name", "container")
            .help("Duration of the last scrape of the container.")
            .withoutExemplars()
            .register(registry);
    scrapeErrors =
        Counter.builder()
            .name("app_metrics_proxy_scrape_errors_total")
            .labelNames("reason")
            .help("Failed scrapes by reason.")
            .withoutExemplars()
            .register(registry);
    engineUp =
        Gauge.builder()
            .name("app_metrics_proxy_engine_up")
            .help("1 if the last cycle could list the engine's containers, else 0.")
            .withoutExemplars()
            .register(registry);
    served =
        Gauge.builder()
            .name("app_metrics_proxy_served_names")
            .help("Names served at /<name>/metrics.")
            .withoutExemplars()
            .register(registry);
    for (ScrapeError.Reason reason : ScrapeError.Reason.values()) {
      scrapeErrors.initLabelValues(reason.label());
    }
  }

  /**
   * A cycle's report. A failure carried from an earlier cycle (a target held back while the engine
   * cannot be listed) is not counted again.
   */
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
      current.add(target(r, !r.startedAt().isBefore(report.startedAt())));
    }
    up.removeIf(labels -> !current.contains(labels));
    scrapeDuration.removeIf(labels -> !current.contains(labels));
  }

  /** How long the last look at the engine took, answered or not. */
  public void discovered(Duration took) {
    discoveryDuration.set(took.toNanos() / 1e9);
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
    fresh.forEach(r -> target(r, true));
    for (ScrapeResult r : gone) {
      up.remove(r.target().name(), r.target().containerName());
      scrapeDuration.remove(r.target().name(), r.target().containerName());
    }
  }

  private List<String> target(ScrapeResult r, boolean scrapedNow) {
    String name = r.target().name();
    String container = r.target().containerName();
    up.labelValues(name, container).set(r.ok() ? 1 : 0);
    scrapeDuration.labelValues(name, container).set(r.duration().toNanos() / 1e9);
    if (r instanceof ScrapeResult.Failure f && scrapedNow) {
      scrapeErrors.labelValues(f.error().reason().label()).inc();
    }
    return List.of(name, container);
  }
}
