package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexPageTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private static Target target(String id, String name) {
    return new Target(id, name + "-" + id, name, "10.0.0." + id.length(), List.of(8080), "/m");
  }

  /** The stored scrape of target "a". */
  private static Entry stored(Instant at) {
    return new Entry(
        "n1",
        "a",
        "web-a",
        "web",
        at,
        Payload.of("x 1\n".getBytes(StandardCharsets.UTF_8), Format.TEXT));
  }

  @Test
  void containersScrapedFromTheLastDiscoveryAreMarkedSoOnTheIndexAndInTheJson() {
    Target up = target("a", "web");
    Entry stored = stored(NOW.minusSeconds(1));
    CycleReport report =
        new CycleReport(
            NOW.minusSeconds(1),
            Duration.ofMillis(1012),
            Optional.of("n1"),
            Optional.of("Docker engine at unix:///x.sock: Read timed out"),
            List.of(
                new ScrapeResult.Success(
                    up, NOW.minusSeconds(1), Duration.ofMillis(3), 8080, stored.payload())),
            List.of(),
            List.of(),
            Optional.of(NOW.minusSeconds(9)),
            Optional.empty());
    ProxyState.View view = new ProxyState.View(Snapshot.of(List.of(stored)), Optional.of(report));

    assertThat(TargetsView.targets(view).targets())
        .singleElement()
        .satisfies(t -> assertThat(t.fromDiscoveryAt()).isEqualTo("2026-11-25T11:59:51Z"));
    assertThat(IndexPage.render(view, NOW))
        .contains(
            "Docker engine unreachable: Docker engine at unix:///x.sock: Read timed out; the"
                + " containers below are from the last discovery at 2026-11-25T11:59:51Z",
            "<td class=\"status ok\">up <span class=\"muted\">(from the last discovery at"
                + " 2026-11-25T11:59:51Z)</span></td>");
  }

  @Test
  void showsUpAndFailingContainersTheSkippedAndTheEngine() {
    Target up = target("a", "web");
    Target down = target("bb", "<db>");
    Entry stored = stored(NOW.minusSeconds(4));
    CycleReport report =
        new CycleReport(
            NOW.minusSeconds(4),
            Duration.ofMillis(12),
            Optional.of("n1"),
            Optional.empty(),
            List.of(
                new ScrapeResult.Success(
                    up, NOW.minusSeconds(4), Duration.ofMillis(3), 8080, stored.payload()),
                new ScrapeResult.Failure(
                    down,
                    NOW.minusSeconds(4),
                    Duration.ofMillis(5),
                    new ScrapeError(
                        ScrapeError.Reason.INVALID,
                        "8080: HTTP 200 but not Prometheus text (line 1: found \"<html>\")"))),
            List.of(new Skipped("c", "batch", "label prometheus.io/scrape=false")),
            List.of());
    String html =
        IndexPage.render(
            new ProxyState.View(Snapshot.of(List.of(stored)), Optional.of(report)), NOW);

    assertThat(html)
        .contains(
            "<title>app-metrics-proxy · n1</title>",
            "Node <b>n1</b> · role <b>standalone</b> · engine <b class=\"ok\">up</b> · targets up"
                + " <b>1/2</b> · names served <b>1</b> · last cycle 4.0 s ago, took 12 ms",
            "<a href=\"web/metrics\">web</a></td><td>web-a</td><td>n1</td><td>10.0.0.1:8080</td>"
                + "<td class=\"num\" data-sort=\"4.000\">4.0 s ago</td>"
                + "<td class=\"num\" data-sort=\"0.003\">3 ms</td>"
                + "<td class=\"num\" data-sort=\"4.000\">4 B</td>"
                + "<td class=\"status ok\">up</td>",
            "<tr class=\"failing\"><td>&lt;db&gt;</td><td>&lt;db&gt;-bb</td>",
            "<td class=\"status err\">invalid: 8080: HTTP 200 but not Prometheus text (line 1:"
                + " found &quot;&lt;html&gt;&quot;)</td>",
            "<td>batch</td><td>label prometheus.io/scrape=false</td>");
    assertThat(html).doesNotContain("<db>", "\"<html>\"", "<h2 id=\"peers\">");
  }

  @Test
  void isSelfContained() {
    String html = IndexPage.render(new ProxyState.View(Snapshot.empty(), Optional.empty()), NOW);
    assertThat(html)
        .contains("no cycle has completed yet", "engine <b>not asked yet</b>", "No containers yet.")
        .doesNotContain("src=", "<link", "http:", "https:", "@import", "url(");
  }

  @Test
  void inlinesTheStyleAndScriptOfTheWebappFolder() throws IOException {
    Path folder = Path.of("src/main/webapp/WEB-INF/index");
    String html = IndexPage.render(new ProxyState.View(Snapshot.empty(), Optional.empty()), NOW);
    assertThat(html)
        .contains("<style>" + Files.readString(folder.resolve("index.css")) + "</style>")
        .contains("<script>" + Files.readString(folder.resolve("index.js")) + "</script>")
        .contains("th[aria-sort=ascending]::after{content:\" \\25B2\"}")
        .contains("vertical-align:top;white-space:nowrap}");
  }

  @Test
  void replicatedEntriesNameTheirNodeAndPeersTheirLastExchange() {
    Entry replicated =
        new Entry(
            "n2",
            "r",
            "queue-r",
            "queue",
            NOW.minusSeconds(7),
            Payload.of("q 1\n".getBytes(StandardCharsets.UTF_8), Format.TEXT));
    CycleReport report =
        new CycleReport(
            NOW.minusSeconds(4),
            Duration.ofMillis(12),
            Optional.of("n1"),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of());
    ReplicationReport replication =
        new ReplicationReport(
            NOW.minusSeconds(2),
            Role.MANAGER,
            true,
            Optional.of("SSHPASS is not set: cannot log in to <workers>"),
            Optional.of("SHA256:Zm9v"),
            Optional.of(2222),
            List.of(
                new ReplicationReport.PeerReport(
                    "n2",
                    "10.0.1.2",
                    Role.WORKER,
                    NOW.minusSeconds(2),
                    Optional.of(NOW.minusSeconds(2)),
                    Optional.empty(),
                    Duration.ofMillis(140),
                    4096,
                    2048,
                    3,
                    1,
                    2),
                new ReplicationReport.PeerReport(
                    "n3",
                    "10.0.1.3",
                    Role.WORKER,
                    NOW.minusSeconds(2),
                    Optional.empty(),
                    Optional.of("10.0.1.3:2222: <refused>"),
                    Duration.ofMillis(3),
                    0,
                    0,
                    0,
                    0,
                    0)));
    String html =
        IndexPage.render(
            new ProxyState.View(
                Snapshot.of(List.of(replicated)), Optional.of(report), Optional.of(replication)),
            NOW);
    assertThat(html)
        .contains(
            "<p class=\"banner err\">Replication: SSHPASS is not set: cannot log in to"
                + " &lt;workers&gt;</p>",
            "role <b>manager</b>",
            "<a href=\"queue/metrics\">queue</a></td><td>queue-r</td><td>n2</td><td></td>"
                + "<td class=\"num\" data-sort=\"7.000\">7.0 s ago</td>",
            "<td class=\"status muted\">replicated</td>",
            "This node: role <b>manager</b>, opens the exchanges · replication port <b>2222</b>"
                + " · host key <code>SHA256:Zm9v</code> · last round 2.0 s ago",
            "<tr><td>n2</td><td>10.0.1.2</td><td>worker</td>"
                + "<td class=\"num\" data-sort=\"2.000\">2.0 s ago</td>"
                + "<td class=\"num\" data-sort=\"0.140\">140 ms</td>"
                + "<td class=\"num\" data-sort=\"4096.000\">4.0 KiB</td>"
                + "<td class=\"num\" data-sort=\"2048.000\">2.0 KiB</td>"
                + "<td class=\"num\" data-sort=\"3.000\">3</td>"
                + "<td class=\"num\" data-sort=\"1.000\">1</td>"
                + "<td class=\"num\" data-sort=\"2.000\">2</td>"
                + "<td class=\"status ok\">ok</td></tr>",
            "<tr class=\"failing\"><td>n3</td><td>10.0.1.3</td><td>worker</td>"
                + "<td class=\"num\" data-sort=\"\">never</td>",
            "<td class=\"status err\">10.0.1.3:2222: &lt;refused&gt;</td>")
        .doesNotContain("not seen", "<refused>", "<workers>");
  }

  @Test
  void anUnreachableEngineIsABanner() {
    CycleReport report =
        new CycleReport(
            NOW,
            Duration.ofMillis(1),
            Optional.empty(),
            Optional.of("Docker engine at unix:///var/run/docker.sock: <refused>"),
            List.of(),
            List.of(),
            List.of());
    assertThat(IndexPage.render(new ProxyState.View(Snapshot.empty(), Optional.of(report)), NOW))
        .contains(
            "Docker engine unreachable: Docker engine at unix:///var/run/docker.sock:"
                + " &lt;refused&gt;");
  }

  @Test
  void eachContainerShowsTheSdTargetAndWhereItRuns() {
    Entry replica =
        new Entry(
            "w1",
            "c7",
            "shop_web.2.y",
            "web",
            NOW.minusSeconds(2),
            stored(NOW).payload(),
            true,
            java.util.Map.of("service", "web", "task_slot", "2"),
            Optional.of("10.0.0.4"));
    CycleReport report =
        new CycleReport(
            NOW.minusSeconds(1),
            Duration.ofMillis(5),
            Optional.of("m1"),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of());
    String html =
        IndexPage.render(
            new ProxyState.View(Snapshot.of(List.of(replica)), Optional.of(report)),
            NOW,
            Optional.of("m1.example:2137"));
    assertThat(html)
        .contains("<th title=\"what /api/sd?scope=swarm gives Prometheus\">Swarm sd target</th>")
        .contains(
            "<td><code>10.0.0.4:2137</code> <span class=\"muted\">service=web</span>"
                + " <span class=\"muted\">task_slot=2</span></td>");
  }
}
