package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.scrape.ScrapeError.Reason;
import io.appmetricsproxy.scrape.ScrapeResult;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.testing.Promtool;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of misbehaving target at once, as real containers, beside two good ones: each failure
 * is recorded with its reason, the cycle stays within the scrape timeout, memory within the body
 * cap, and nothing invalid is served.
 */
class BadTargetsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofMillis(1500);
  private static final int MAX_BODY = 2 << 20;
  private static final String GOOD =
      "# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\n"
          + "app_requests_total{code=\"200\"} 7\n";

  /** Reads the request head up to its empty line; the case's answer follows. */
  private static final String READ_HEAD =
      "#!/bin/sh\ncr=$(printf '\\r')\n"
          + "while read -r line; do [ -z \"${line%\"$cr\"}\" ] && break; done\n";

  private static final String OK_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n";

  @TempDir Path store;
  private TestContainers containers;
  private Proxy proxy;
  private String run;

  @BeforeEach
  void start() {
    containers = new TestContainers();
    run = containers.runId().substring(0, 8);
    Config config =
        Config.fromEnvironment(
            Map.of(
                "DOCKER_HOST", containers.engine().dockerHost(),
                "SCRAPE_INTERVAL", "4",
                "SCRAPE_TIMEOUT", "2",
                "MAX_BODY_SIZE", "2MiB"),
            store);
    proxy = Proxy.create(config);
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (containers != null) {
      containers.close();
    }
  }

  @Test
  void badTargetsAreRecordedBoundedAndNeverServed() throws Exception {
    Map<String, Started> bad = new LinkedHashMap<>();
    bad.put("hanging", containers.hanging(name("hanging"), 8080, containers.labels()));
    bad.put("html", containers.html(name("html"), 8080, containers.labels()));
    bad.put("slow", script("slow", answer(OK_HEAD) + "while :; do printf '#'; sleep 1; done\n"));
    bad.put(
        "status500",
        fixed(
            "status500",
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n",
            utf8("boom\n")));
    bad.put(
        "big",
        script(
            "big",
            answer(OK_HEAD)
                + "busybox yes '# a filler line of fifty megabytes' | busybox head -c 52428800\n"));
    bad.put("bomb", bomb());
    bad.put(
        "chunked",
        script(
            "chunked",
            answer(OK_HEAD + "Transfer-Encoding: chunked\r\n")
                + "while :; do printf '10000\\r\\n'; busybox yes '# chunk' | busybox head -c 65536;"
                + " printf '\\r\\n'; done\n"));
    bad.put("utf8", fixed("utf8", OK_HEAD, latin1("good 1\nbad{b=\"\u00ff\u00fe\"} 1\n")));
    bad.put("reset", script("reset", "#!/bin/sh\nexit 0\n"));
    Started noNewline = fixed("nonewline", OK_HEAD, utf8("# TYPE last gauge\nlast 1"));
    // Prometheus stores the first sample of a repeated series and goes on: so does the proxy
    Started duplicate = fixed("duplicate", OK_HEAD, utf8("a 1\nb 1\na 2\n"));
    Started good1 = containers.metrics(name("good-1"), 8080, GOOD, containers.labels());
    Started good2 = containers.metrics(name("good-2"), 9100, GOOD, containers.labels());
    Map<String, Reason> expected =
        Map.of(
            "hanging", Reason.TIMEOUT,
            "slow", Reason.TIMEOUT,
            "html", Reason.INVALID,
            "status500", Reason.HTTP_STATUS,
            "big", Reason.TOO_LARGE,
            "bomb", Reason.TOO_LARGE,
            "chunked", Reason.TOO_LARGE,
            "utf8", Reason.INVALID,
            "reset", Reason.IO);
    long heapBefore = usedHeapAfterGc();

    for (int cycle = 1; cycle <= 2; cycle++) {
      CycleReport report = proxy.cycle().run();

      assertThat(report.engineError()).isEmpty();
      assertThat(report.duration()).as("cycle %d", cycle).isLessThan(TIMEOUT.plus(MARGIN));
      for (Map.Entry<String, Started> e : bad.entrySet()) {
        ScrapeResult result = result(report, e.getValue().name());
        assertThat(result)
            .as("%s in cycle %d", e.getKey(), cycle)
            .isInstanceOfSatisfying(
                ScrapeResult.Failure.class,
                f -> assertThat(f.error().reason()).isEqualTo(expected.get(e.getKey())));
        assertThat(result.duration()).isLessThan(TIMEOUT.plus(Duration.ofMillis(500)));
        assertThat(served(e.getValue().name())).as(e.getKey()).isEmpty();
      }
      assertThat(served(good1.name())).contains(GOOD);
      assertThat(served(good2.name())).contains(GOOD);
      // Prometheus text needs the final newline: the proxy adds the missing one
      assertThat(served(noNewline.name())).contains("# TYPE last gauge\nlast 1\n");
      assertThat(served(duplicate.name())).contains("a 1\nb 1\na 2\n");
      for (Served s : proxy.state().view().snapshot().all()) {
        Promtool.assertParses(s.name(), s.payload().toByteArray());
      }
    }

    assertThat(message(bad.get("big"))).contains("8080: body larger than MAX_BODY_SIZE");
    assertThat(message(bad.get("bomb"))).contains("8080: body larger than MAX_BODY_SIZE");
    assertThat(message(bad.get("utf8"))).contains("invalid UTF-8 label value");
    assertThat(message(bad.get("status500"))).contains("8080: HTTP 500");
    assertThat(message(bad.get("slow"))).contains("8080: no response within the scrape timeout");
    assertThat(ownMetrics())
        .contains(
            "app_metrics_proxy_scrape_errors_total{reason=\"timeout\"} 4.0",
            "app_metrics_proxy_scrape_errors_total{reason=\"too_large\"} 6.0",
            "app_metrics_proxy_scrape_errors_total{reason=\"invalid\"} 4.0",
            "app_metrics_proxy_scrape_errors_total{reason=\"http_status\"} 2.0",
            "app_metrics_proxy_scrape_errors_total{reason=\"io\"} 2.0",
            "app_metrics_proxy_target_up{container=\"" + bad.get("bomb").name() + "\"",
            "app_metrics_proxy_target_up{container=\""
                + good1.name()
                + "\",name=\""
                + good1.name()
                + "\"} 1.0");
    // 50 MB, a gzip bomb of 200 MB and an endless body were read: at most MAX_BODY_SIZE each
    assertThat(usedHeapAfterGc() - heapBefore).isLessThan(64L << 20);
  }

  private String name(String what) {
    return "amp-" + run + "-" + what;
  }

  private Started script(String what, String script) {
    return containers.responder(name(what), 8080, script, Map.of(), containers.labels());
  }

  /** Answers with {@code head} (status line and headers, CRLF each) and {@code body}. */
  private Started fixed(String what, String head, byte[] body) {
    String headers = head + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    return containers.responder(
        name(what),
        8080,
        READ_HEAD + "cat /www/head /www/body\n",
        Map.of("head", utf8(headers), "body", body),
        containers.labels());
  }

  /** 200 MB of text, gzipped to a few hundred KB, sent with Content-Encoding: gzip. */
  private Started bomb() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    byte[] line = utf8("# the same line again and again, it compresses very well\n");
    try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16)) {
      for (long written = 0; written < 200L << 20; written += line.length) {
        out.write(line);
      }
    }
    return fixed("bomb", OK_HEAD + "Content-Encoding: gzip\r\n", gz.toByteArray());
  }

  private static String answer(String head) {
    return READ_HEAD
        + "printf '"
        + head.replace("\r\n", "\\r\\n")
        + "Connection: close\\r\\n\\r\\n'\n";
  }

  private String message(Started s) {
    return proxy.state().view().lastCycle().orElseThrow().results().stream()
        .filter(r -> r.target().containerName().equals(s.name()))
        .findFirst()
        .map(r -> ((ScrapeResult.Failure) r).error().message())
        .orElseThrow();
  }

  private static ScrapeResult result(CycleReport report, String containerName) {
    return report.results().stream()
        .filter(r -> r.target().containerName().equals(containerName))
        .findFirst()
        .orElseThrow();
  }

  private Optional<String> served(String name) {
    return proxy
        .state()
        .view()
        .snapshot()
        .get(name)
        .map(s -> new String(s.payload().toByteArray(), StandardCharsets.UTF_8));
  }

  private String ownMetrics() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, proxy.metrics().registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
