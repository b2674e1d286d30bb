package io.appmetricsproxy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.testing.TestContainers.Started;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the test kit against the real engine: every kind of test container, and cleanup by label.
 */
class TestKitIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private TestContainers kit;

  /**
   * Per method, so that without an engine every test shows as skipped (an abort in @BeforeAll shows
   * as 0 tests).
   */
  @BeforeEach
  void startKit() {
    kit = new TestContainers();
  }

  @AfterEach
  void closeKit() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void engineAnswersAndHasABridgeGateway() {
    TestEngine engine = kit.engine();
    assertThat(engine).isSameAs(TestEngine.get());
    assertThat(engine.client().pingCmd().exec()).isNull(); // no exception is the answer
    assertThat(engine.bridgeGateway()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(engine.client().inspectImageCmd(TestImages.BUSYBOX).exec().getId())
        .startsWith("sha256:");
  }

  @Test
  void metricsBodyIsServedAtMetricsWithTheLabels() throws Exception {
    String body =
        "# TYPE demo_requests_total counter\ndemo_requests_total{path=\"/a b\",q='x'} 42\n";
    Started c = kit.metrics("amp-it-metrics", 8080, body, Map.of("app", "demo"));

    HttpResponse<String> response = get(c.url(8080, "/metrics"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    assertThat(c.ip()).isNotBlank();
    assertThat(kit.engine().client().inspectContainerCmd(c.id()).exec().getConfig().getLabels())
        .containsEntry("app", "demo")
        .containsEntry(TestContainers.LABEL, kit.runId());
  }

  @Test
  void metricsOnAnotherPath() throws Exception {
    Started c =
        kit.metrics("amp-it-actuator", 8081, "/actuator/prometheus", "jvm_up 1\n", Map.of());

    assertThat(get(c.url(8081, "/actuator/prometheus")).body()).isEqualTo("jvm_up 1\n");
    assertThat(get(c.url(8081, "/metrics")).statusCode()).isEqualTo(404);
  }

  @Test
  void nodeExporterServesNodeMetrics() throws Exception {
    Started c = kit.nodeExporter("amp-it-node", Map.of("role", "node"));

    HttpResponse<String> response = get(c.url(9100, "/metrics"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("node_");
  }

  @Test
  void hangingAcceptsEveryConnectionAndNeverAnswers() throws Exception {
    Started c = kit.hanging("amp-it-hanging", 9999, Map.of());

    for (int attempt = 1; attempt <= 2; attempt++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(c.ip(), 9999), 2000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(2000);
        InputStream in = socket.getInputStream();
        assertThatThrownBy(in::read)
            .as("connection %d must stay silent", attempt)
            .isInstanceOf(SocketTimeoutException.class);
      }
    }
  }

  @Test
  void htmlAnswers200WithAPage() throws Exception {
    Started c = kit.html("amp-it-html", 8082, Map.of());

    for (int attempt = 1; attempt <= 2; attempt++) {
      HttpResponse<String> response = get(c.url(8082, "/metrics"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(response.body()).contains("<html>");
    }
  }

  @Test
  void silentRunsAndServesNothing() {
    Started c = kit.silent("amp-it-silent", Map.of());

    assertThat(kit.engine().client().inspectContainerCmd(c.id()).exec().getState().getRunning())
        .isTrue();
    assertThatThrownBy(() -> get(c.url(8080, "/metrics"))).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void closeRemovesEveryContainerWithTheLabel() {
    kit.silent("amp-it-other-kit", Map.of());
    TestContainers own = new TestContainers();
    Started a = own.silent("amp-it-close-a", Map.of());
    own.metrics("amp-it-close-b", 8080, "x 1\n", Map.of());
    own.remove(a.id());
    own.remove(a.id()); // twice is fine
    assertThat(own.containers()).hasSize(1);

    own.close();

    assertThat(own.containers()).isEmpty();
    assertThat(kit.containers())
        .isNotEmpty()
        .allSatisfy(
            c -> assertThat(c.getLabels()).containsEntry(TestContainers.LABEL, kit.runId()));
  }

  private static HttpResponse<String> get(String url) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
