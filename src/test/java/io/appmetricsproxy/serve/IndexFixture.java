package io.appmetricsproxy.serve;

import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.Snapshot;
import io.appmetricsproxy.store.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A manager node "n1" of a three-node swarm, as a cycle and a replication round leave it: a name
 * merged from two containers, one replicated from n2, a failing target with an older scrape still
 * served, one never scraped, a name with markup, and a peer that refuses the exchange.
 */
final class IndexFixture {
  static final String XSS = "<script>alert(\"x\")";

  private IndexFixture() {}

  static void publish(ProxyState state, Instant now) {
    Instant cycle = now.minusMillis(3000);
    List<ScrapeResult> results = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    up(results, entries, cycle.plusMillis(5), "web-1", "web", "10.0.1.11", 8080, 4);
    up(results, entries, cycle.plusMillis(12), "api-1", "api", "10.0.1.12", 9100, 7);
    up(results, entries, cycle.plusMillis(20), "web-2", "web", "10.0.1.13", 8080, 4);
    up(results, entries, cycle.plusMillis(31), "xss-1", XSS, "10.0.1.14", 80, 2);
    up(results, entries, cycle.plusMillis(40), "worker-2", "worker", "10.0.1.16", 8080, 3);
    results.add(
        failed(
            target("worker-1", "worker", "10.0.1.15", 8080),
            cycle.plusMillis(8),
            ScrapeError.Reason.INVALID,
            "8080: HTTP 200 but not Prometheus text (line 1: expected a metric name, found"
                + " \"<html><b>Sign in</b>\")"));
    entries.add(entry("n1", "worker-1", "worker", now.minusSeconds(25), 3));
    results.add(
        failed(
            target("db-1", "db", "10.0.1.17", 80),
            cycle.plusMillis(3),
            ScrapeError.Reason.CONNECT,
            "80: connection refused; 8080: connection refused; 9100: connection refused"));
    entries.add(entry("n2", "queue-1", "queue", now.minusSeconds(8), 12));
    state.publish(
        Snapshot.of(entries),
        new CycleReport(
            cycle,
            Duration.ofMillis(187),
            Optional.of("n1"),
            Optional.empty(),
            results,
            List.of(new Skipped("0c9d", "backup-job", "label prometheus.io/scrape=false")),
            List.of()));
    state.publish(
        new ReplicationReport(
            now.minusSeconds(2),
            Role.MANAGER,
            true,
            Optional.empty(),
            Optional.of("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"),
            Optional.of(2222),
            List.of(
                new ReplicationReport.PeerReport(
                    "n2",
                    "10.0.0.2",
                    Role.WORKER,
                    now.minusSeconds(2),
                    Optional.of(now.minusSeconds(2)),
                    Optional.empty(),
                    Duration.ofMillis(143),
                    18_432,
                    9_216,
                    6,
                    1,
                    0),
                new ReplicationReport.PeerReport(
                    "n3",
                    "10.0.0.3",
                    Role.WORKER,
                    now.minusSeconds(2),
                    Optional.of(now.minusSeconds(95)),
                    Optional.of("10.0.0.3:2222: connection refused"),
                    Duration.ofMillis(4),
                    0,
                    0,
                    0,
                    0,
                    0))));
  }

  private static void up(
      List<ScrapeResult> results,
      List<Entry> entries,
      Instant at,
      String container,
      String name,
      String host,
      int port,
      int series) {
    Entry e = entry("n1", container, name, at, series);
    results.add(
        new ScrapeResult.Success(
            target(container, name, host, port),
            at,
            Duration.ofMillis(2 + series),
            port,
            e.payload()));
    entries.add(e);
  }

  private static ScrapeResult failed(
      Target t, Instant at, ScrapeError.Reason reason, String message) {
    return new ScrapeResult.Failure(
        t,
        at,
        Duration.ofMillis(reason == ScrapeError.Reason.CONNECT ? 2 : 35),
        new ScrapeError(reason, message));
  }

  private static Target target(String container, String name, String host, int port) {
    return new Target(id(container), container, name, host, List.of(port), "/metrics");
  }

  private static Entry entry(String node, String container, String name, Instant at, int series) {
    StringBuilder body = new StringBuilder("# TYPE http_requests_total counter\n");
    for (int i = 0; i < series; i++) {
      body.append("http_requests_total{code=\"")
          .append(200 + i)
          .append("\"} ")
          .append(1000 + 37 * i)
          .append('\n');
    }
    return new Entry(
        node,
        id(container),
        container,
        name,
        at,
        Payload.of(body.toString().getBytes(StandardCharsets.UTF_8), Format.TEXT));
  }

  private static String id(String container) {
    return Integer.toHexString(container.hashCode()) + "0a1b2c3d4e5f";
  }
}
