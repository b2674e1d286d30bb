package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.valves.ErrorReportValve;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile HTTP requests, sent byte for byte over a socket to the Jersey application in an embedded
 * Tomcat with the connector's defaults: traversal, encoded slashes, huge and odd headers, markup in
 * names, names that never existed. None gets anything but a served name's metrics or a clean 4xx.
 */
class HostileRequestsTest {
  @TempDir static Path tomcatBase;

  private static final String MARKUP = "<script>alert(\"x\")</script>&";
  private static final ProxyState STATE = new ProxyState(Snapshot.empty());
  private static TestTomcat tomcat;
  private static int port;

  @BeforeAll
  static void start() throws IOException, LifecycleException {
    Target web = new Target("a1", "web-1", "web", "10.0.0.5", List.of(8080), "/metrics");
    Target odd = new Target("b2", "odd-1", MARKUP, "10.0.0.6", List.of(8080), "/metrics");
    STATE.publish(
        Snapshot.of(
            List.of(
                TargetsViewTest.entry("n1", "a1", "web-1", "web", TargetsViewTest.T),
                TargetsViewTest.entry("n1", "b2", "odd-1", MARKUP, TargetsViewTest.T))),
        new CycleReport(
            TargetsViewTest.T,
            Duration.ofMillis(12),
            Optional.of("n1"),
            Optional.empty(),
            List.of(TargetsViewTest.ok(web), TargetsViewTest.ok(odd)),
            List.of(),
            List.of()));
    tomcat =
        TestTomcat.start(
            tomcatBase,
            t -> {
              TestTomcat.jersey(t, "", STATE);
              // as tomcat/server.xml: error pages without a report or the server's version
              ErrorReportValve errors = new ErrorReportValve();
              errors.setShowReport(false);
              errors.setShowServerInfo(false);
              t.getHost().getPipeline().addValve(errors);
            });
    port = tomcat.port();
  }

  @AfterAll
  static void stop() throws LifecycleException {
    tomcat.close();
  }

  /** Sends {@code head} (request line and headers, without the final empty line) as it is. */
  private static String raw(String head) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (head + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int status(String response) {
    assertThat(response).as("a complete HTTP response").startsWith("HTTP/1.1 ");
    return Integer.parseInt(response.substring(9, 12));
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../web/metrics",
        "/../../etc/passwd",
        "/web/../../etc/passwd",
        "/%2e%2e/metrics",
        "/%2e%2e%2fweb/metrics",
        "/..%2F..%2Fetc%2Fpasswd/metrics",
        "/web%2Fmetrics/metrics",
        "/web%5c..%5c/metrics",
        "/%252e%252e%252fetc/metrics",
        "/web%00/metrics",
        "/..;/web/metrics",
        "/.;/metrics",
        "//etc/passwd/metrics",
        "/%c0%ae%c0%ae/metrics",
        "/./metrics",
        "/ /metrics"
      })
  void traversalGetsNoFileAndNoServerError(String path) throws IOException {
    String response = raw("GET " + path + " HTTP/1.1");
    int status = status(response);
    assertThat(status).as(path).isBetween(400, 499);
    assertThat(response).doesNotContain("root:", "Exception", "Apache Tomcat/", "at io.");
  }

  @Test
  void dotSegmentsInsideThePathMatchNoResource() throws IOException {
    // Jersey matches the path as sent: dot segments never lead to another name's data
    assertThat(status(raw("GET /web/./x/../metrics HTTP/1.1"))).isEqualTo(404);
    assertThat(status(raw("GET /x/../web/metrics HTTP/1.1"))).isEqualTo(404);
  }

  @Test
  void aNameThatNeverExistedIsA404WithOneLineOfPlainText() throws IOException {
    String response = raw("GET /never-was/metrics HTTP/1.1");
    assertThat(status(response)).isEqualTo(404);
    assertThat(response).contains("Content-Type: text/plain;charset=utf-8");
    assertThat(body(response)).isEqualTo("no metrics for \"never-was\" on this node\n");
  }

  @Test
  void markupInAnUnknownNameComesBackAsPlainTextNotHtml() throws IOException {
    String response = raw("GET /%3Cimg%20src=x%20onerror=alert(1)%3E/metrics HTTP/1.1");
    assertThat(status(response)).isEqualTo(404);
    assertThat(response).contains("Content-Type: text/plain;charset=utf-8");
    assertThat(body(response))
        .isEqualTo("no metrics for \"<img src=x onerror=alert(1)>\" on this node\n");
  }

  @Test
  void aNameWithMarkupIsServedAndEscapedOnTheIndex() throws IOException {
    String metrics = raw("GET /%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E%26/metrics HTTP/1.1");
    // an encoded slash is refused by Tomcat before the application sees it: such a name is on the
    // index but cannot be fetched
    assertThat(status(metrics)).isEqualTo(400);
    String index = raw("GET / HTTP/1.1");
    assertThat(status(index)).isEqualTo(200);
    assertThat(body(index))
        .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;")
        .doesNotContain("<script>alert");
  }

  @Test
  void hugeHeadersAreRefusedAndTheServerGoesOn() throws IOException {
    String huge = raw("GET /web/metrics HTTP/1.1\r\nX-Huge: " + "a".repeat(100_000));
    assertThat(status(huge)).isEqualTo(400);
    StringBuilder many = new StringBuilder("GET /web/metrics HTTP/1.1");
    for (int i = 0; i < 500; i++) {
      many.append("\r\nX-H").append(i).append(": ").append(i);
    }
    assertThat(status(raw(many.toString()))).isEqualTo(400);
    String longPath = raw("GET /" + "a".repeat(20_000) + "/metrics HTTP/1.1");
    assertThat(status(longPath)).isBetween(400, 499);
    assertThat(status(raw("GET /web/metrics HTTP/1.1"))).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Accept-Encoding: gzip;q=nan, *;q=",
        "Accept-Encoding: gzip,gzip,gzip,gzip,gzip,gzip,gzip,gzip,gzip,gzip,gzip,gzip,gzip",
        "Accept-Encoding: \u00ff\u00fe",
        "Accept: text/plain;version=9.9.9;q=0.1, application/openmetrics-text;version=0.0.1",
        "Accept: application/json",
        "Accept-Charset: utf-8\r\nAccept: text/plain\r\nAccept: application/openmetrics-text",
        "User-Agent: \u00ff\u00fe\u00e9 <script>",
        "X-Forwarded-For: ../../etc/passwd"
      })
  void oddHeadersStillGetTheMetrics(String header) throws IOException {
    String response = raw("GET /web/metrics HTTP/1.1\r\n" + header);
    assertThat(status(response)).as(header).isEqualTo(200);
    assertThat(response).contains("Content-Type: ");
  }

  /** Jersey parses Accept strictly: a malformed one is the client's error, a bare 400. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Accept: ;;;,,,q=abc",
        "Accept: application/openmetrics-text;version=abc;q=NaN",
        "Accept: */*;q=-1, text/plain;q=99999999999999999999",
        "Accept: \u00ff\u00fe\u00e9"
      })
  void malformedAcceptIsABare400(String header) throws IOException {
    String response = raw("GET /web/metrics HTTP/1.1\r\n" + header);
    assertThat(status(response)).as(header).isEqualTo(400);
    assertThat(response).doesNotContain("Exception", "Tomcat", "at io.", "at org.");
    assertThat(status(raw("GET /web/metrics HTTP/1.1"))).isEqualTo(200);
  }

  @Test
  void otherMethodsAreNotAllowed() throws IOException {
    assertThat(status(raw("DELETE /web/metrics HTTP/1.1"))).isEqualTo(405);
    assertThat(status(raw("PUT /web/metrics HTTP/1.1\r\nContent-Length: 0"))).isEqualTo(405);
    assertThat(status(raw("TRACE /web/metrics HTTP/1.1"))).isEqualTo(405);
  }
}
