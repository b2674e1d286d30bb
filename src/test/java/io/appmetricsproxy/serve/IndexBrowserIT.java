package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmetricsproxy.status.ProxyState;
import io.appmetricsproxy.status.SelfMetrics;
import io.appmetricsproxy.status.Snapshot;
import io.appmetricsproxy.testing.Chromium;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index in a real headless Chromium, served by the real application in an embedded Tomcat: what
 * renders, what its links answer, what its sort script does, how it fits a phone, and screenshots
 * in {@code target/}.
 */
class IndexBrowserIT {
  @TempDir static Path tomcatBase;

  private static final Logger logger = Logger.getLogger(IndexBrowserIT.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String XSS = IndexFixture.XSS;
  private static final Pattern OUT = Pattern.compile("<pre id=\"out\">(.*?)</pre>", Pattern.DOTALL);

  private static TestTomcat tomcat;
  private static URI base;

  @BeforeAll
  static void start() throws IOException, LifecycleException {
    if (Chromium.available()) {
      logger.info(Chromium.version());
    }
    ProxyState state = new ProxyState(Snapshot.empty());
    IndexFixture.publish(state, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    tomcat =
        TestTomcat.start(
            tomcatBase,
            t -> {
              Context app = TestTomcat.jersey(t, "/amp", state);
              Tomcat.addServlet(
                  app, "own-metrics", new PrometheusMetricsServlet(new SelfMetrics().registry()));
              app.addServletMappingDecoded("/metrics", "own-metrics");
              Context test = t.addContext("/test", null);
              Tomcat.addServlet(test, "harness", new Harness());
              test.addServletMappingDecoded("/harness", "harness");
            });
    base = URI.create("http://127.0.0.1:" + tomcat.port() + "/");
  }

  /** Per test, so that without Chromium each test reports as skipped (or failed, on CI). */
  @BeforeEach
  void browser() {
    Chromium.require();
  }

  @AfterAll
  static void stop() throws LifecycleException {
    if (tomcat != null) {
      tomcat.close();
    }
  }

  @Test
  void rendersEscapedWithOneScript() throws IOException {
    String dom = Chromium.dumpDom(base.resolve("amp/"));
    assertThat(dom)
        .contains(
            "<title>app-metrics-proxy · n1</title>",
            "Node <b>n1</b> · role <b>manager</b> · engine <b class=\"ok\">up</b> · targets up"
                + " <b>5/7</b> · names served <b>5</b> · last cycle",
            "&lt;script&gt;alert(\"x\")",
            "found \"&lt;html&gt;&lt;b&gt;Sign in&lt;/b&gt;\"",
            "<h2 id=\"peers\">Peers</h2>",
            "<h2>Not scraped</h2>");
    assertThat(Pattern.compile("<script").matcher(dom).results().count()).isEqualTo(1);
  }

  @Test
  void rowsLinksAndSortInTheBrowser() throws Exception {
    JsonNode page = harness(1280, true);
    assertThat(page.get("title").asText()).isEqualTo("app-metrics-proxy · n1");
    assertThat(page.get("summary").asText())
        .startsWith("Node n1 · role manager · engine up · targets up 5/7 · names served 5 ·");
    assertThat(texts(page.get("names")))
        .containsExactly(XSS, "api", "db", "queue", "web", "web", "worker", "worker");
    assertThat(texts(page.get("containers")))
        .containsExactly(
            "xss-1", "api-1", "db-1", "queue-1", "web-1", "web-2", "worker-1", "worker-2");
    assertThat(texts(page.get("origins")))
        .containsExactly("n1", "n1", "n1", "n2", "n1", "n1", "n1", "n1");
    assertThat(page.get("injected").asInt()).as("elements injected by names or errors").isZero();
    assertThat(page.get("scripts").asInt()).isEqualTo(1);
    assertThat(page.get("sortable").asInt()).as("headers the script made sortable").isEqualTo(20);

    assertThat(page.get("ariaSort").asText()).isEqualTo("ascending");
    assertThat(texts(page.get("byAge")))
        .as("by the age of the last scrape, never last")
        .containsExactly(
            "worker-2", "xss-1", "web-2", "api-1", "web-1", "queue-1", "worker-1", "db-1");
    assertThat(page.get("ariaSortAgain").asText()).isEqualTo("descending");
    assertThat(texts(page.get("byAgeDesc")))
        .containsExactly(
            "db-1", "worker-1", "queue-1", "web-1", "api-1", "web-2", "xss-1", "worker-2");
    assertThat(texts(page.get("peersDesc"))).containsExactly("n3", "n2");

    List<String> linkTexts = new ArrayList<>();
    for (JsonNode link : page.get("links")) {
      linkTexts.add(link.get("text").asText());
      URI href = URI.create(link.get("href").asText());
      assertThat(href.getAuthority()).isEqualTo(base.getAuthority());
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(href).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s", href).isEqualTo(200);
    }
    assertThat(linkTexts)
        .containsExactly(
            XSS,
            "api",
            "queue",
            "web",
            "web",
            "worker",
            "worker",
            "Own metrics",
            "targets",
            "peers",
            "service discovery");
  }

  @Test
  void readableWithoutScript() throws Exception {
    JsonNode page = harness(1280, false);
    assertThat(page.get("sortable").asInt()).isZero();
    assertThat(texts(page.get("containers"))).hasSize(8).startsWith("xss-1");
  }

  @Test
  void aPhoneScrollsTheTableNotThePage() throws Exception {
    JsonNode page = harness(390, true);
    assertThat(page.get("pageWidth").asInt())
        .as("page width at 390 px")
        .isLessThanOrEqualTo(page.get("viewportWidth").asInt());
    assertThat(page.get("tableScrolls").asBoolean()).as("the table scrolls in its box").isTrue();
  }

  @Test
  void screenshots() throws IOException {
    Path laptop = Path.of("target", "index.png");
    Path phone = Path.of("target", "index-phone.png");
    Chromium.screenshot(base.resolve("amp/"), laptop, 1280, 800);
    Chromium.screenshot(base.resolve("amp/"), phone, 390, 844);
    for (Path png : List.of(laptop, phone)) {
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes.length).as("%s size", png).isGreaterThan(10_000);
      assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII))
          .as("PNG magic")
          .isEqualTo("PNG");
    }
  }

  /** What the harness page read from the index in its frame, after clicking headers. */
  private static JsonNode harness(int width, boolean script) throws IOException {
    String dom =
        Chromium.dumpDom(base.resolve("test/harness?width=" + width + "&script=" + script));
    Matcher m = OUT.matcher(dom);
    assertThat(m.find()).as("harness output in %s", dom).isTrue();
    String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0");
    JsonNode page = JSON.readTree(json.replace("&amp;", "&"));
    assertThat(page.has("error")).as("harness error: %s", page.path("error")).isFalse();
    return page;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  /**
   * A page of the same origin that loads the index in a frame of the given width, with or without
   * scripts, and writes what it finds as JSON into {@code <pre id="out">}.
   */
  static final class Harness extends HttpServlet {
    private static final String PAGE =
        """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title></head>
        <body style="margin:0"><pre id="out"></pre>
        <iframe id="f" src="/amp/" style="border:0;width:%dpx;height:844px" %s></iframe>
        <script>
        window.addEventListener('load', function () {
          var r = {};
          try {
            var d = document.getElementById('f').contentDocument;
            var map = Array.prototype.map;
            function col(table, i) {
              return map.call(d.querySelectorAll(table + ' tbody tr'),
                  function (tr) { return tr.cells[i].textContent; });
            }
            r.title = d.title;
            r.summary = d.getElementById('summary').textContent;
            r.names = col('#targets', 0);
            r.containers = col('#targets', 1);
            r.origins = col('#targets', 2);
            r.links = map.call(d.querySelectorAll('a'),
                function (a) { return {text: a.textContent, href: a.href}; });
            r.scripts = d.querySelectorAll('script').length;
            r.injected = d.querySelectorAll('img, iframe, table script, table b, table html').length;
            r.sortable = d.querySelectorAll('th[tabindex]').length;
            r.pageWidth = d.documentElement.scrollWidth;
            r.viewportWidth = d.documentElement.clientWidth;
            var box = d.getElementById('targets').parentElement;
            r.tableScrolls = box.scrollWidth > box.clientWidth;
            if (%b) {
              var age = d.querySelectorAll('#targets th')[4];
              age.click();
              r.ariaSort = age.getAttribute('aria-sort');
              r.byAge = col('#targets', 1);
              age.click();
              r.ariaSortAgain = age.getAttribute('aria-sort');
              r.byAgeDesc = col('#targets', 1);
              var peer = d.querySelectorAll('#peer-table th')[0];
              peer.click();
              peer.click();
              r.peersDesc = col('#peer-table', 0);
            }
          } catch (e) {
            r.error = String(e && e.stack || e);
          }
          document.getElementById('out').textContent = JSON.stringify(r);
        });
        </script></body></html>
        """;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      int width = Integer.parseInt(request.getParameter("width"));
      boolean script = Boolean.parseBoolean(request.getParameter("script"));
      response.setContentType("text/html; charset=utf-8");
      response
          .getWriter()
          .write(PAGE.formatted(width, script ? "" : "sandbox=\"allow-same-origin\"", script));
    }
  }
}
