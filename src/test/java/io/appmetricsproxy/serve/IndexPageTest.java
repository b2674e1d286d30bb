package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Snapshot;
import java.nio.charset.StandardCharsets;
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

  @Test
  void showsUpAndFailingContainersTheSkippedAndTheEngine() {
    Target up = target("a", "web");
    Target down = target("bb", "<db>");
    Entry stored =
        new Entry(
            "n1",
            "a",
            "web-a",
            "web",
            NOW.minusSeconds(4),
            Payload.of("x 1\n".getBytes(StandardCharsets.UTF_8), Format.TEXT));
    CycleReport report =
        new CycleReport(
            NOW.minusSeconds(4),
            Duration.ofMillis(12),
            Optional.of("n1"),
            Optional.empty(),
            List.of(
                new ScrapeResult(
                    up,
                    NOW.minusSeconds(4),
                    Duration.ofMillis(3),
                    Optional.of(8080),
                    Optional.of(stored.payload()),
                    Optional.empty()),
                new ScrapeResult(
                    down,
                    NOW.minusSeconds(4),
                    Duration.ofMillis(5),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(
                        new ScrapeError(
                            ScrapeError.Reason.INVALID,
                            "8080: HTTP 200 but not Prometheus text (line 1: found \"<html>\")")))),
            List.of(new Skipped("c", "batch", "label prometheus.io/scrape=false")),
            List.of());
    String html =
        IndexPage.render(
            new ProxyState.View(Snapshot.of(List.of(stored)), Optional.of(report)), NOW);

    assertThat(html)
        .contains(
            "Node <b>n1</b> · targets up 1/2 · names served 1",
            "<a href=\"web/metrics\">web</a></td><td>web-a</td><td>10.0.0.1:8080</td><td>4.0 s ago",
            "<td class=\"ok\">up</td>",
            "<td>&lt;db&gt;</td><td>&lt;db&gt;-bb</td>",
            "<td class=\"err\">invalid: 8080: HTTP 200 but not Prometheus text (line 1: found"
                + " &quot;&lt;html&gt;&quot;)</td>",
            "<td>batch</td><td>label prometheus.io/scrape=false</td>");
    assertThat(html).doesNotContain("<db>", "\"<html>\"");
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
}
