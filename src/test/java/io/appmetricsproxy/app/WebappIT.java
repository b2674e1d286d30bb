package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appmetricsproxy.testing.Folders;
import io.appmetricsproxy.testing.Promtool;
import io.appmetricsproxy.testing.TestContainers;
import io.appmetricsproxy.testing.TestContainers.Started;
import io.appmetricsproxy.testing.TestEngine;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The built WAR in embedded Tomcat (Arquillian), serving real containers of a real engine. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebappIT {
  private static final String BODY =
      "# HELP shop_orders_total Orders.\n# TYPE shop_orders_total counter\nshop_orders_total 42\n";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String SSHPASS = "webapp-it-" + UUID.randomUUID();
  private static final int DEAD_PEER = freePort();

  @ArquillianResource private URL base;
  private TestContainers containers;

  @Deployment(testable = false)
  static WebArchive deployment() throws IOException {
    File war = new File(System.getProperty("war.file", "target/app-metrics-proxy.war"));
    Path dir = Folders.deletedAtExit("amp-webapp-it");
    WebArchive archive =
        ShrinkWrap.create(ZipImporter.class, "app-metrics-proxy.war")
            .importFrom(war)
            .as(WebArchive.class);
    String params =
        param("DOCKER_HOST", TestEngine.get().dockerHost())
            + param("SCRAPE_INTERVAL", "1")
            + param("STORE_DIR", dir.resolve("store").toString())
            + param("SSH_DIR", dir.resolve("ssh").toString())
            + param("SSHPASS", SSHPASS)
            + param("REPLICATION_PORT", Integer.toString(freePort()))
            + param("REPLICATION_PEERS", "127.0.0.1:" + DEAD_PEER)
            + param("REPLICATION_INTERVAL", "1");
    // the WAR's own web.xml, with the settings as context parameters
    String webXml;
    try (InputStream in = archive.get("WEB-INF/web.xml").getAsset().openStream()) {
      webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return archive.setWebXML(new StringAsset(webXml.replace("</web-app>", params + "</web-app>")));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String param(String name, String value) {
    return "<context-param><param-name>"
        + name
        + "</param-name><param-value>"
        + value
        + "</param-value></context-param>";
  }

  @BeforeEach
  void start() {
    containers = new TestContainers();
  }

  @AfterEach
  void stop() {
    containers.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
            .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private Map<String, String> labels(String... keyValues) {
    Map<String, String> labels = new HashMap<>(containers.labels());
    for (int i = 0; i < keyValues.length; i += 2) {
      labels.put(keyValues[i], keyValues[i + 1]);
    }
    return labels;
  }

  @Test
  void servesEachContainersMetricsAndListsThemOnTheIndex() throws Exception {
    String run = containers.runId().substring(0, 8);
    Started shop = containers.metrics("amp-" + run + "-shop", 8080, BODY, labels());
    String path = shop.name() + "/metrics";
    await().atMost(Duration.ofSeconds(20)).until(() -> get(path).statusCode() == 200);

    HttpResponse<byte[]> metrics =
        get(
            path,
            "Accept",
            "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=1");
    assertThat(text(metrics)).isEqualTo(BODY);
    assertThat(metrics.headers().firstValue("Content-Type").map(t -> t.replace(" ", "")))
        .contains("text/plain;version=0.0.4;charset=utf-8");
    Promtool.assertParses(path, metrics.body());

    HttpResponse<byte[]> zipped = get(path, "Accept-Encoding", "gzip");
    assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    }

    HttpResponse<byte[]> index = get("");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(text(index)).contains("<a href=\"" + shop.name() + "/metrics\">" + shop.name());
    assertThat(text(get("api/targets")))
        .contains("\"container\":\"" + shop.name() + "\"", "\"up\":true");
    assertThat(text(get("api/sd")))
        .contains("\"__metrics_path__\":\"/app-metrics-proxy/" + shop.name() + "/metrics\"");
    assertThat(get("-/ready").statusCode()).isEqualTo(200);
    assertThat(get("-/healthy").statusCode()).isEqualTo(200);
    assertThat(text(get("metrics")))
        .contains(
            "app_metrics_proxy_target_up{container=\""
                + shop.name()
                + "\",name=\""
                + shop.name()
                + "\"} 1.0",
            "app_metrics_proxy_engine_up 1.0");
  }

  @Test
  void unknownNamesGetA404WithAReason() throws Exception {
    HttpResponse<byte[]> missing = get("no-such-container/metrics");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(text(missing)).isEqualTo("no metrics for \"no-such-container\" on this node\n");
  }

  @Test
  void markupInNamesIsEscapedAndTheirLinksWork() throws Exception {
    String run = containers.runId().substring(0, 8);
    String name = "<i>" + run + "&\"x\"";
    containers.metrics(
        "amp-" + run + "-markup", 8080, BODY, labels("app-metrics-proxy.name", name));
    String link = "%3Ci%3E" + run + "%26%22x%22/metrics";
    await().atMost(Duration.ofSeconds(20)).until(() -> get(link).statusCode() == 200);
    String index = text(get(""));
    assertThat(index)
        .contains("&lt;i&gt;" + run + "&amp;&quot;x&quot;")
        .contains("href=\"" + link + "\"")
        .doesNotContain("<i>" + run);
    assertThat(text(get(link))).isEqualTo(BODY);
  }

  @Test
  void replicationIsShownEverywhereAndItsPasswordNowhere() throws Exception {
    String peer = "127.0.0.1:" + DEAD_PEER;
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> text(get("api/peers")).contains("\"up\":false"));
    String peers = text(get("api/peers"));
    assertThat(peers)
        .contains("\"drives\":true", "\"name\":\"" + peer + "\"", "connection refused")
        .contains("\"hostKey\":\"SHA256:");
    String index = text(get(""));
    assertThat(index).contains("Peers", peer, "connection refused");
    String metrics = text(get("metrics"));
    assertThat(metrics)
        .contains("app_metrics_proxy_peer_up{peer=\"" + peer + "\"} 0.0")
        .contains("app_metrics_proxy_replication_ok 1.0");
    for (String page : List.of(peers, index, metrics, text(get("api/targets")))) {
      assertThat(page).doesNotContain(SSHPASS);
    }
  }
}
