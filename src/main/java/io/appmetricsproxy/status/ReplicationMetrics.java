package io.appmetricsproxy.status;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The own metrics of replication, from each round's report. */
public final class ReplicationMetrics {
  private final Gauge replicationOk;
  private final Gauge peerUp;
  private final Gauge peerLastSuccess;
  private final Gauge peerDuration;
  private final Counter peerBytes;
  private final Counter peerEntries;
  private final Counter peerErrors;

  ReplicationMetrics(PrometheusRegistry registry) {
    replicationOk =
        Gauge.builder()
            .name("app_metrics_proxy_replication_ok")
            .help(
                "0 when replication should run but cannot (SSHPASS unset, Swarm unreadable, a task"
                    + " without address), else 1.")
            .withoutExemplars()
            .register(registry);
    peerUp =
        Gauge.builder()
            .name("app_metrics_proxy_peer_up")
            .labelNames("peer")
            .help("1 if the last exchange with the peer completed without error, else 0.")
            .withoutExemplars()
            .register(registry);
    peerLastSuccess =
        Gauge.builder()
            .name("app_metrics_proxy_peer_last_exchange_timestamp_seconds")
            .unit(Unit.SECONDS)
            .labelNames("peer")
            .help("When an exchange with the peer last completed, in seconds since the epoch.")
            .withoutExemplars()
            .register(registry);
    peerDuration =
        Gauge.builder()
            .name("app_metrics_proxy_peer_exchange_duration_seconds")
            .unit(Unit.SECONDS)
            .labelNames("peer")
            .help("Duration of the last exchange with the peer.")
            .withoutExemplars()
            .register(registry);
    peerBytes =
        Counter.builder()
            .name("app_metrics_proxy_peer_bytes_total")
            .labelNames("peer", "direction")
            .help("Bytes on the wire to (sent) and from (received) the peer, SSH included.")
            .withoutExemplars()
            .register(registry);
    peerEntries =
        Counter.builder()
            .name("app_metrics_proxy_peer_entries_total")
            .labelNames("peer", "direction")
            .help("Entry files sent to, received from, or deleted in exchanges with the peer.")
            .withoutExemplars()
            .register(registry);
    peerErrors =
        Counter.builder()
            .name("app_metrics_proxy_peer_errors_total")
            .labelNames("peer")
            .help("Exchanges with the peer that failed or had files refused.")
            .withoutExemplars()
            .register(registry);
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
