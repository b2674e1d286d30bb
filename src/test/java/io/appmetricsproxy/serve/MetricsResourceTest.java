package io.appmetricsproxy.serve;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.exposition.ProtoBodies;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Snapshot;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /<name>/metrics} over real HTTP, through JAX-RS ({@code /jaxrs}) and through the fast path
 * in front of it ({@code /fast}): gzip, ETag, Last-Modified, 304 and HEAD.
 */
class MetricsResourceTest {
  @TempDir static Path tomcatBase;
  @TempDir static Path storeDir;

  private static final Instant AT = Instant.parse("2026-11-25T12:00:00.250Z");
  private static final String LAST_MODIFIED = "Wed, 25 Nov 2026 12:00:00 GMT";
  private static final String BODY = body();
  private static final ProxyState STATE = new ProxyState(Snapshot.empty());
  private static final ProxyState AGING = new ProxyState(Snapshot.empty());
  private static TestTomcat tomcat;

  private static String body() {
    StringBuilder b = new StringBuilder("# TYPE web_requests_total counter\n");
    for (int i = 0; i < 200; i++) {
      b.append("web_requests_total{path=\"/p").append(i).append("\"} ").append(i).append('\n');
    }
    return b.toString();
  }

  @BeforeAll
  static void start() throws IOException, LifecycleException {
    Payload payload = Payload.of(BODY.getBytes(StandardCharsets.UTF_8), Format.TEXT);
    Payload protobuf = Payload.of(ProtoBodies.everyKind(), Format.PROTOBUF);
    STATE.publish(
        Snapshot.of(
            List.of(
                new Entry("n1", "a1", "web-1", "web", AT, payload),
                new Entry("n1", "p1", "pb-1", "pb", AT, protobuf))));
    tomcat = TestTomcat.metrics(tomcatBase, Map.of("", STATE, "-aging", AGING));
  }

  @AfterAll
  static void stop() throws LifecycleException {
    tomcat.close();
  }

  private static HttpResponse<byte[]> send(String method, String path, String... headers)
      throws IOException, InterruptedException {
    return tomcat.send(method, path, headers);
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void getCarriesValidators(String base) throws Exception {
    HttpResponse<byte[]> r = send("GET", base + "/web/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
    assertThat(header(r, "ETag")).matches("\"[0-9a-f]{32}\"");
    assertThat(header(r, "Last-Modified")).isEqualTo(LAST_MODIFIED);
    assertThat(header(r, "Vary")).isEqualTo("Accept, Accept-Encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void eachClientGetsTheRichestFormatItAccepts(String base) throws Exception {
    String prometheusNative =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
            + "application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5";
    HttpResponse<byte[]> proto = send("GET", base + "/pb/metrics", "Accept", prometheusNative);
    assertThat(header(proto, "Content-Type")).startsWith("application/vnd.google.protobuf");
    assertThat(proto.body()).isEqualTo(ProtoBodies.everyKind());
    HttpResponse<byte[]> om =
        send("GET", base + "/pb/metrics", "Accept", "application/openmetrics-text;version=1.0.0");
    assertThat(header(om, "Content-Type")).startsWith("application/openmetrics-text");
    assertThat(new String(om.body(), StandardCharsets.UTF_8)).contains("# {trace_id=\"def\"}");
    HttpResponse<byte[]> text = send("GET", base + "/pb/metrics");
    assertThat(header(text, "Content-Type")).startsWith("text/plain");
    assertThat(new String(text.body(), StandardCharsets.UTF_8))
        .contains("# TYPE requests_total counter\n");
    assertThat(List.of(header(proto, "ETag"), header(om, "ETag"), header(text, "ETag")))
        .doesNotHaveDuplicates();
    HttpResponse<byte[]> textBody = send("GET", base + "/web/metrics", "Accept", prometheusNative);
    assertThat(header(textBody, "Content-Type")).startsWith("text/plain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void gzipHasItsOwnTag(String base) throws Exception {
    HttpResponse<byte[]> plain = send("GET", base + "/web/metrics");
    HttpResponse<byte[]> r = send("GET", base + "/web/metrics", "Accept-Encoding", "gzip");
    assertThat(header(r, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    }
    assertThat(header(r, "ETag"))
        .isEqualTo(header(plain, "ETag").replaceFirst("\"$", "-gz\""))
        .isNotEqualTo(header(plain, "ETag"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void ifNoneMatchAnswers304(String base) throws Exception {
    String etag = header(send("GET", base + "/web/metrics", "Accept-Encoding", "gzip"), "ETag");
    for (String candidate : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
      HttpResponse<byte[]> r =
          send("GET", base + "/web/metrics", "Accept-Encoding", "gzip", "If-None-Match", candidate);
      assertThat(r.statusCode()).as(candidate).isEqualTo(304);
      assertThat(r.body()).isEmpty();
      assertThat(header(r, "ETag")).isEqualTo(etag);
    }
    // the identity form has another tag
    assertThat(send("GET", base + "/web/metrics", "If-None-Match", etag).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", base + "/web/metrics", "If-None-Match", "\"other\"").statusCode())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void ifModifiedSinceAnswers304UnlessIfNoneMatchSaysOtherwise(String base) throws Exception {
    assertThat(send("GET", base + "/web/metrics", "If-Modified-Since", LAST_MODIFIED).statusCode())
        .isEqualTo(304);
    assertThat(
            send("GET", base + "/web/metrics", "If-Modified-Since", "Wed, 25 Nov 2026 11:59:59 GMT")
                .statusCode())
        .isEqualTo(200);
    assertThat(send("GET", base + "/web/metrics", "If-Modified-Since", "yesterday").statusCode())
        .isEqualTo(200);
    assertThat(
            send(
                    "GET",
                    base + "/web/metrics",
                    "If-None-Match",
                    "\"other\"",
                    "If-Modified-Since",
                    LAST_MODIFIED)
                .statusCode())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void headHasTheHeadersOfGetAndNoBody(String base) throws Exception {
    for (String encoding : List.of("identity", "gzip")) {
      HttpResponse<byte[]> get = send("GET", base + "/web/metrics", "Accept-Encoding", encoding);
      HttpResponse<byte[]> head = send("HEAD", base + "/web/metrics", "Accept-Encoding", encoding);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      for (String h : List.of("Content-Length", "Content-Type", "ETag", "Last-Modified")) {
        assertThat(header(head, h)).as(encoding + " " + h).isEqualTo(header(get, h));
      }
    }
    assertThat(send("HEAD", base + "/nope/metrics").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void unknownNameIs404(String base) throws Exception {
    assertThat(send("GET", base + "/nope/metrics").statusCode()).isEqualTo(404);
  }

  /** No publication after the scrape: the answer turns 404 by itself once it is older. */
  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs-aging", "/fast-aging"})
  void aScrapeOlderThanMaxAgeIsNeverServedAndThe404SaysWhy(String base) throws Exception {
    Store store = new Store(storeDir.resolve(base.substring(1)));
    store.open();
    Instant scraped = Instant.now();
    Payload payload = Payload.of(BODY.getBytes(StandardCharsets.UTF_8), Format.TEXT);
    store.put(new Entry("n1", "a1", "web-1", "web", scraped, payload));
    AGING.publish(snapshot(store, scraped, Duration.ofSeconds(1)));
    assertThat(send("GET", base + "/web/metrics").statusCode()).isEqualTo(200);

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), scraped.plusSeconds(1)).toMillis()));
    HttpResponse<byte[]> r = send("GET", base + "/web/metrics");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "no metrics for \"web\" on this node within MAX_AGE (1 s): its last good scrape is from "
                + scraped.truncatedTo(ChronoUnit.SECONDS)
                + "\n");
    assertThat(send("HEAD", base + "/web/metrics").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/jaxrs", "/fast"})
  void ownMetricsAndOtherPathsAreNotTaken(String base) throws Exception {
    assertThat(send("GET", base + "/metrics").statusCode()).isEqualTo(404);
    assertThat(send("GET", base + "/a/b/metrics").statusCode()).isEqualTo(404);
    assertThat(send("POST", base + "/web/metrics").statusCode()).isEqualTo(405);
  }
}
