package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.discover.Skipped;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.scrape.ScrapeError;
import io.appmetricsproxy.status.CycleReport;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over real HTTP, in an embedded Tomcat with the webapp under {@code /amp}. */
class ApiResourceTest {
  @TempDir static Path tomcatBase;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ProxyState STATE = new ProxyState(Snapshot.empty());
  private static TestTomcat tomcat;
  private static int port;

  @BeforeAll
  static void start() throws IOException, LifecycleException {
    Target web = new Target("a1", "web-1", "web", "10.0.0.5", List.of(8080), "/metrics");
    Target odd = new Target("b2", "odd-1", "<b> x", "10.0.0.6", List.of(8080), "/m");
    STATE.publish(
        Snapshot.of(
            List.of(
                TargetsViewTest.entry("n1", "a1", "web-1", "web", TargetsViewTest.T),
                TargetsViewTest.entry("n1", "b2", "odd-1", "<b> x", TargetsViewTest.T),
                TargetsViewTest.entry("n1", "c3", "api-1", "api", TargetsViewTest.T),
                TargetsViewTest.entry("n2", "d4", "web-2", "web", TargetsViewTest.T))),
        new CycleReport(
            TargetsViewTest.T,
            Duration.ofMillis(12),
            Optional.of("n1"),
            Optional.empty(),
            List.of(
                TargetsViewTest.ok(web),
                TargetsViewTest.failed(odd, ScrapeError.Reason.TIMEOUT, "8080: no answer in 5 s")),
            List.of(new Skipped("c9", "batch", "label prometheus.io/scrape=false")),
            List.of()));
    STATE.publish(
        new ReplicationReport(
            TargetsViewTest.T,
            Role.MANAGER,
            true,
            Optional.of("SSHPASS is not set: cannot log in to workers"),
            Optional.of("SHA256:abc"),
            Optional.of(2222),
            List.of(
                new ReplicationReport.PeerReport(
                    "n2",
                    "10.0.1.2",
                    Role.WORKER,
                    TargetsViewTest.T,
                    Optional.of(TargetsViewTest.T),
                    Optional.empty(),
                    Duration.ofMillis(150),
                    2048,
                    1024,
                    3,
                    1,
                    0),
                new ReplicationReport.PeerReport(
                    "n3",
                    "10.0.1.3",
                    Role.WORKER,
                    TargetsViewTest.T,
                    Optional.empty(),
                    Optional.of("10.0.1.3:2222: connection refused"),
                    Duration.ofMillis(5),
                    0,
                    0,
                    0,
                    0,
                    0))));
    tomcat = TestTomcat.start(tomcatBase, t -> TestTomcat.jersey(t, "/amp", STATE));
    port = tomcat.port();
  }

  @AfterAll
  static void stop() throws LifecycleException {
    tomcat.close();
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void targetsIsTheDocumentedJson() throws Exception {
    HttpResponse<String> response = get("/amp/api/targets");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"node":"n1","ready":true,"engine":{"reachable":true,"error":null},
                 "lastCycle":{"startedAt":"2026-11-25T12:00:00Z","durationSeconds":0.012,
                   "targets":2,"up":1,"storeErrors":[]},
                 "namesServed":3,
                 "targets":[
                  {"name":"<b> x","container":"odd-1","containerId":"b2","node":"n1","origin":"local",
                   "address":"10.0.0.6","path":"/m","up":false,"served":true,
                   "lastScrapeAt":"2026-11-25T12:00:00Z","scrapeDurationSeconds":0.25,
                   "sizeBytes":4,"error":{"reason":"timeout","message":"8080: no answer in 5 s"},
                   "fromDiscoveryAt":null,"labels":{},"sdTarget":"127.0.0.1:PORT",
                   "format":"text","nativeOnly":[]},
                  {"name":"api","container":"api-1","containerId":"c3","node":"n1","origin":"local",
                   "address":null,"path":null,"up":false,"served":true,
                   "lastScrapeAt":"2026-11-25T12:00:00Z","scrapeDurationSeconds":null,
                   "sizeBytes":4,"error":{"reason":"not_seen",
                   "message":"not seen in the last cycle; its last good scrape is served"},
                   "fromDiscoveryAt":null,"labels":{},"sdTarget":"127.0.0.1:PORT",
                   "format":"text","nativeOnly":[]},
                  {"name":"web","container":"web-1","containerId":"a1","node":"n1","origin":"local",
                   "address":"10.0.0.5:8080","path":"/metrics","up":true,"served":true,
                   "lastScrapeAt":"2026-11-25T12:00:00Z","scrapeDurationSeconds":0.003,
                   "sizeBytes":4,"error":null,"fromDiscoveryAt":null,"labels":{},
                   "sdTarget":"127.0.0.1:PORT","format":"text","nativeOnly":[]},
                  {"name":"web","container":"web-2","containerId":"d4","node":"n2",
                   "origin":"replicated","address":null,"path":null,"up":true,"served":true,
                   "lastScrapeAt":"2026-11-25T12:00:00Z","scrapeDurationSeconds":null,
                   "sizeBytes":4,"error":null,"fromDiscoveryAt":null,"labels":{},
                   "sdTarget":"n2:PORT","format":"text","nativeOnly":[]}],
                 "skipped":[{"container":"batch","containerId":"c9",
                   "reason":"label prometheus.io/scrape=false"}]}
                """
                    .replace("PORT", Integer.toString(port))));
  }

  @Test
  void peersIsTheDocumentedJson() throws Exception {
    HttpResponse<String> response = get("/amp/api/peers");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"node":"n1","role":"manager","drives":true,
                 "problem":"SSHPASS is not set: cannot log in to workers",
                 "hostKey":"SHA256:abc","port":2222,"lastRound":"2026-11-25T12:00:00Z",
                 "peers":[
                  {"name":"n2","address":"10.0.1.2","role":"worker","up":true,
                   "lastAttempt":"2026-11-25T12:00:00Z","lastSuccess":"2026-11-25T12:00:00Z",
                   "durationSeconds":0.15,"bytesSent":2048,"bytesReceived":1024,
                   "entriesSent":3,"entriesReceived":1,"deleted":0,"error":null},
                  {"name":"n3","address":"10.0.1.3","role":"worker","up":false,
                   "lastAttempt":"2026-11-25T12:00:00Z","lastSuccess":null,
                   "durationSeconds":0.005,"bytesSent":0,"bytesReceived":0,
                   "entriesSent":0,"entriesReceived":0,"deleted":0,
                   "error":"10.0.1.3:2222: connection refused"}]}
                """));
  }

  @Test
  void theIndexIsHtmlWithTheSameRows() throws Exception {
    HttpResponse<String> response = get("/amp/");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(response.body())
        .contains(
            "<title>app-metrics-proxy · n1</title>",
            "<a href=\"%3Cb%3E%20x/metrics\">&lt;b&gt; x</a>",
            "<td>web-2</td><td>n2</td>",
            "Replication: SSHPASS is not set")
        .doesNotContain("<b> x");
  }

  @Test
  void sdIsOneGroupPerNameAtTheAddressTheClientUsed() throws Exception {
    HttpResponse<String> response = get("/amp/api/sd");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    String self = "127.0.0.1:" + port;
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                ("[{\"targets\":[\"%s\"],\"labels\":{\"__metrics_path__\":\"/amp/%%3Cb%%3E%%20x/metrics\","
                        + "\"name\":\"<b> x\"}},"
                        + "{\"targets\":[\"%s\"],\"labels\":{\"__metrics_path__\":\"/amp/api/metrics\","
                        + "\"name\":\"api\"}},"
                        + "{\"targets\":[\"%s\"],\"labels\":{\"__metrics_path__\":\"/amp/web/metrics\","
                        + "\"name\":\"web\"}}]")
                    .formatted(self, self, self)));
  }

  @Test
  void sdPathsAnswerWithMetricsAlsoForANameCalledApi() throws Exception {
    assertThat(JSON.readTree(get("/amp/api/sd").body())).hasSize(3);
    for (JsonNode group : JSON.readTree(get("/amp/api/sd").body())) {
      HttpResponse<String> metrics = get(group.get("labels").get("__metrics_path__").asText());
      assertThat(metrics.statusCode()).isEqualTo(200);
      // "web" merges this node's container with one replicated from n2.
      assertThat(metrics.body()).matches("(# TYPE x untyped\n)?(x(\\{[^}]*\\})? 1\n)+");
    }
  }

  @Test
  void sdTargetIsTheHostHeader() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /amp/api/sd HTTP/1.1\r\nHost: node1.example:2137\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response)
          .startsWith("HTTP/1.1 200")
          .contains("\"targets\":[\"node1.example:2137\"]");
    }
  }

  @Test
  void sdOfTheSwarmHasEveryContainerAtItsNode() throws Exception {
    HttpResponse<String> response = get("/amp/api/sd?scope=swarm");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode groups = JSON.readTree(response.body());
    assertThat(groups).hasSize(4);
    JsonNode replicated = groups.get(3);
    assertThat(replicated.get("targets").get(0).asText()).isEqualTo("n2:" + port);
    assertThat(replicated.get("labels").get("__param_container").asText()).isEqualTo("web-2");
    assertThat(replicated.get("labels").get("__metrics_path__").asText())
        .isEqualTo("/amp/web/metrics");
    assertThat(groups.get(2).get("targets").get(0).asText()).isEqualTo("127.0.0.1:" + port);
    assertThat(groups.get(2).get("labels").get("node").asText()).isEqualTo("n1");
  }

  @Test
  void anUnknownSdScopeIsABadRequest() throws Exception {
    HttpResponse<String> response = get("/amp/api/sd?scope=nodes");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("scope must be \"swarm\" or absent, found \"nodes\"\n");
  }
}
