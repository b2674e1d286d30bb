package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.status.Snapshot;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Servable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /<name>/metrics?container=…} and {@code ?scope=local} over real HTTP, through JAX-RS
 * ({@code /jaxrs}) and through the fast path in front of it ({@code /fast}). This node is n1: "web"
 * has web-1 (OpenMetrics) and web-2 here, whose last scrape failed, and web-3 from n2; "remote" is
 * only on n2, "solo" has one container here, "gone" is too old.
 */
class MetricsQueryResourceTest {
  @TempDir static Path tomcatBase;

  private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";
  private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Entry WEB_1 =
      entry("n1", "a1", "web-1", "web", "# TYPE up gauge\nup 1\n# EOF\n", Format.OPENMETRICS);
  private static final Entry WEB_2 =
      entry("n1", "a2", "web-2", "web", "# TYPE up gauge\nup 2\n", Format.TEXT);
  private static final Entry WEB_3 =
      entry("n2", "b3", "web-3", "web", "# TYPE up gauge\nup 3\n", Format.TEXT);
  private static final Entry REMOTE = entry("n2", "b4", "remote-1", "remote", "r 1\n", Format.TEXT);
  private static final Entry SOLO = entry("n1", "a5", "solo.1_x-y", "solo", "s 1\n", Format.TEXT);
  private static final List<Entry> ENTRIES = List.of(WEB_1, WEB_2, WEB_3, REMOTE, SOLO);
  private static final ProxyState STATE = new ProxyState(Snapshot.empty());
  private static final ProxyState NO_NODE = new ProxyState(Snapshot.empty());
  private static TestTomcat tomcat;

  private static Entry entry(
      String node, String id, String container, String name, String body, Format format) {
    Payload payload = Payload.of(body.getBytes(StandardCharsets.UTF_8), format);
    return new Entry(node, id, container, name, AT, payload);
  }

  private static CycleReport cycle(Optional<String> node) {
    return new CycleReport(
        TargetsViewTest.T,
        Duration.ofMillis(12),
        node,
        Optional.empty(),
        List.of(
            TargetsViewTest.ok(TargetsViewTest.target("a1", "web-1", "web")),
            TargetsViewTest.failed(
                TargetsViewTest.target("a2", "web-2", "web"),
                ScrapeError.Reason.CONNECT,
                "8080: connection refused"),
            TargetsViewTest.ok(TargetsViewTest.target("a5", "solo.1_x-y", "solo"))),
        List.of(),
        List.of());
  }

  @BeforeAll
  static void start() throws IOException, LifecycleException {
    Servable servable =
        new Servable(ENTRIES, Map.of("gone", AT.minusSeconds(7200)), Duration.ofHours(1));
    STATE.publish(Snapshot.of(servable, Snapshot.empty()), cycle(Optional.of("n1")));
    NO_NODE.publish(Snapshot.of(servable, Snapshot.empty()), cycle(Optional.empty()));
    tomcat = TestTomcat.metrics(tomcatBase, Map.of("", STATE, "-no-node", NO_NODE));
  }

  @AfterAll
  static void stop() throws LifecycleException {
    tomcat.close();
  }

  private static HttpResponse<byte[]> get(String path, String... headers)
      throws IOException, InterruptedException {
    return tomcat.send("GET", path, headers);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static String served(Format format, Entry... entries) {
    Payload p = Served.of(entries[0].name(), List.of(entries)).payload(format);
    return new String(p.toByteArray(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void oneContainerIsItsScrapeAsItCameWithoutALabel(String base) throws Exception {
    HttpResponse<byte[]> merged = get(base + "/web/metrics");
    assertThat(text(merged)).contains("container=\"web-1\"", "node=\"n1\"");

    HttpResponse<byte[]> om = get(base + "/web/metrics?container=web-1", "Accept", OPENMETRICS);
    assertThat(om.statusCode()).isEqualTo(200);
    assertThat(header(om, "Content-Type")).startsWith("application/openmetrics-text");
    assertThat(text(om)).isEqualTo("# TYPE up gauge\nup 1\n# EOF\n");

    HttpResponse<byte[]> asText = get(base + "/web/metrics?container=web-1");
    assertThat(header(asText, "Content-Type")).isEqualTo("text/plain;version=0.0.4;charset=utf-8");
    assertThat(text(asText))
        .isEqualTo(served(Format.TEXT, WEB_1))
        .doesNotContain("container=", "# EOF");
    assertThat(header(asText, "Vary")).isEqualTo("Accept, Accept-Encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void aContainerOfAnotherNodeIsServedUnlessOnlyLocalIsAsked(String base) throws Exception {
    HttpResponse<byte[]> r = get(base + "/web/metrics?container=web-3");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("# TYPE up gauge\nup 3\n");

    HttpResponse<byte[]> local = get(base + "/web/metrics?container=web-3&scope=local");
    assertThat(local.statusCode()).isEqualTo(404);
    assertThat(text(local))
        .isEqualTo("no metrics for container \"web-3\" of \"web\" scraped on this node\n");
    assertThat(get(base + "/remote/metrics?scope=local&container=remote-1").statusCode())
        .isEqualTo(404);
    assertThat(text(get(base + "/web/metrics?scope=local&container=web-1")))
        .isEqualTo(served(Format.TEXT, WEB_1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void aContainerWhoseLastScrapeHereFailedIs503WithWhyAndWhenThoughItsEntryIsHeld(String base)
      throws Exception {
    assertThat(text(get(base + "/web/metrics"))).contains("container=\"web-2\"");
    for (String query : List.of("container=web-2", "container=web-2&scope=local")) {
      HttpResponse<byte[]> r = get(base + "/web/metrics?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(503);
      assertThat(header(r, "Content-Type")).isEqualTo("text/plain;charset=utf-8");
      assertThat(text(r))
          .isEqualTo(
              "the last scrape of container \"web-2\" of \"web\" failed at 2026-11-25T12:00:00Z:"
                  + " connect: 8080: connection refused\n");
    }
    HttpResponse<byte[]> head = tomcat.send("HEAD", base + "/web/metrics?container=web-2");
    assertThat(head.statusCode()).isEqualTo(503);
    assertThat(head.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void aContainerNotKnownHereUnderThatNameIs404(String base) throws Exception {
    HttpResponse<byte[]> r = get(base + "/web/metrics?container=web-9");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(header(r, "Content-Type")).isEqualTo("text/plain;charset=utf-8");
    assertThat(text(r)).isEqualTo("no metrics for container \"web-9\" of \"web\" on this node\n");
    assertThat(get(base + "/solo/metrics?container=web-1").statusCode()).isEqualTo(404);
    assertThat(get(base + "/never/metrics?container=web-1").statusCode()).isEqualTo(404);
    assertThat(tomcat.send("HEAD", base + "/web/metrics?container=web-9").statusCode())
        .isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void aContainersValueIsPercentDecoded(String base) throws Exception {
    for (String value : List.of("solo.1_x-y", "solo%2E1%5Fx%2dy", "%73olo.1_x-y")) {
      HttpResponse<byte[]> r = get(base + "/solo/metrics?container=" + value);
      assertThat(r.statusCode()).as(value).isEqualTo(200);
      assertThat(text(r)).isEqualTo("s 1\n");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void oneContainerHasItsOwnTagsAndAnswersConditionalGzipAndHead(String base) throws Exception {
    String path = base + "/solo/metrics?container=solo.1_x-y";
    HttpResponse<byte[]> name = get(base + "/solo/metrics");
    HttpResponse<byte[]> r = get(path);
    assertThat(r.body()).isEqualTo(name.body());
    assertThat(header(r, "ETag")).matches("\"[0-9a-f]{32}-container\"");
    assertThat(header(r, "ETag")).isNotEqualTo(header(name, "ETag"));
    assertThat(header(r, "Last-Modified")).isEqualTo(Conditional.httpDate(AT));
    assertConditionalGzipAndHead(path, "s 1\n");
    assertThat(get(path, "If-None-Match", header(name, "ETag")).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void scopeLocalMergesOnlyWhatThisNodeScraped(String base) throws Exception {
    HttpResponse<byte[]> r = get(base + "/web/metrics?scope=local");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r))
        .isEqualTo(served(Format.TEXT, WEB_1, WEB_2))
        .contains("container=\"web-1\"", "container=\"web-2\"")
        .doesNotContain("web-3", "node=");
    assertThat(header(r, "Vary")).isEqualTo("Accept, Accept-Encoding");
    assertThat(header(r, "ETag")).isNotEqualTo(header(get(base + "/web/metrics"), "ETag"));
    assertConditionalGzipAndHead(base + "/web/metrics?scope=local", text(r));
    // one local container alone is served as it came
    assertThat(text(get(base + "/solo/metrics?scope=local"))).isEqualTo("s 1\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void scopeAllIsTheDefaultAndOtherParametersAreIgnored(String base) throws Exception {
    String merged = text(get(base + "/web/metrics"));
    assertThat(merged).contains("web-3");
    assertThat(text(get(base + "/web/metrics?scope=all"))).isEqualTo(merged);
    assertThat(text(get(base + "/web/metrics?foo=bar&&x"))).isEqualTo(merged);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void scopeLocalIsAnEmptyExpositionWhereTheNameIsOnlyElsewhereOrTooOld(String base)
      throws Exception {
    for (String name : List.of("remote", "gone")) {
      HttpResponse<byte[]> r = get(base + "/" + name + "/metrics?scope=local");
      assertThat(r.statusCode()).as(name).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      assertThat(header(r, "Content-Type")).isEqualTo("text/plain;version=0.0.4;charset=utf-8");
      assertThat(header(r, "Last-Modified")).isNull();
      assertThat(header(r, "Vary")).isEqualTo("Accept, Accept-Encoding");

      HttpResponse<byte[]> om =
          get(base + "/" + name + "/metrics?scope=local", "Accept", OPENMETRICS);
      assertThat(text(om)).isEqualTo("# EOF\n");
      assertThat(header(om, "Content-Type"))
          .isEqualTo("application/openmetrics-text;version=1.0.0;charset=utf-8");
      assertThat(header(om, "ETag")).isNotEqualTo(header(r, "ETag"));
    }
    assertConditionalGzipAndHead(base + "/remote/metrics?scope=local", "");
    assertThat(get(base + "/gone/metrics").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void scopeLocalOfANameNotKnownIs404(String base) throws Exception {
    assertThat(text(get(base + "/never/metrics?scope=local")))
        .isEqualTo("no metrics for \"never\" on this node\n");
    assertThat(get(base + "/never/metrics?scope=local").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs-no-node", "/fast-no-node"})
  void withoutThisNodesNameEveryEntryIsLocal(String base) throws Exception {
    HttpResponse<byte[]> r = get(base + "/web/metrics?scope=local");
    assertThat(text(r)).isEqualTo(text(get(base + "/web/metrics"))).contains("web-3");
    assertThat(text(get(base + "/remote/metrics?scope=local&container=remote-1")))
        .isEqualTo("r 1\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void aBadQueryIs400WithOneLineSayingWhy(String base) throws Exception {
    Map<String, String> cases =
        Map.of(
            "scope=remote", "scope: expected \"local\" or \"all\", found \"remote\"\n",
            "scope=", "scope: expected \"local\" or \"all\", found \"\"\n",
            "scope=Local%0A", "scope: expected \"local\" or \"all\", found \"Local\uFFFD\"\n",
            "scope=local&scope=local", "scope: given more than once\n",
            "container=web-1&container=web-2", "container: given more than once\n",
            "container=", "container: expected a container name, found nothing\n");
    for (var c : cases.entrySet()) {
      HttpResponse<byte[]> r = get(base + "/web/metrics?" + c.getKey());
      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
      assertThat(header(r, "Content-Type")).isEqualTo("text/plain;charset=utf-8");
      assertThat(text(r)).as(c.getKey()).isEqualTo(c.getValue());
    }
  }

  /** What java.net.URI refuses to send, sent byte for byte. */
  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void aMalformedPercentEncodingIs400(String base) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", tomcat.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + base
                  + "/web/metrics?container=web%zz HTTP/1.1\r\n"
                  + "Host: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response)
          .startsWith("HTTP/1.1 400 ")
          .endsWith("\r\n\r\ncontainer: expected a percent-encoded value, found \"web%zz\"\n");
    }
  }

  /** ETag and Last-Modified answer 304, gzip has its own tag, HEAD has GET's headers only. */
  private static void assertConditionalGzipAndHead(String path, String body) throws Exception {
    HttpResponse<byte[]> plain = get(path);
    String etag = header(plain, "ETag");
    HttpResponse<byte[]> notModified = get(path, "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(get(path, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    if (header(plain, "Last-Modified") != null) {
      assertThat(get(path, "If-Modified-Since", header(plain, "Last-Modified")).statusCode())
          .isEqualTo(304);
    } else {
      assertThat(get(path, "If-Modified-Since", Conditional.httpDate(AT)).statusCode())
          .isEqualTo(200);
    }

    HttpResponse<byte[]> gzip = get(path, "Accept-Encoding", "gzip");
    assertThat(header(gzip, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(gzip, "ETag")).isEqualTo(etag.replaceFirst("\"$", "-gz\""));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
    }
    assertThat(get(path, "Accept-Encoding", "gzip", "If-None-Match", etag).statusCode())
        .isEqualTo(200);

    for (HttpResponse<byte[]> g : List.of(plain, gzip)) {
      HttpResponse<byte[]> head =
          tomcat.send("HEAD", path, "Accept-Encoding", g == gzip ? "gzip" : "identity");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      for (String h : List.of("Content-Length", "Content-Type", "ETag", "Last-Modified")) {
        assertThat(header(head, h)).as(h).isEqualTo(header(g, h));
      }
    }
  }
}
