package io.appmetricsproxy.app;

import io.appmetricsproxy.serve.TestTomcat;
import io.appmetricsproxy.testing.ConformanceCorpus.Case;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * The corpus on loopback, in an embedded Tomcat of its own: {@code /body/<id>} serves a case's body
 * byte for byte with its Content-Type (none where it has none; see {@link #assertFaithful}), and
 * {@code /text/<name>} relays the proxy's {@code /<name>/metrics} as a text-only client asks for
 * it, so that Prometheus (which always asks for OpenMetrics first) reads what such a client gets.
 */
final class LoopbackBodies extends HttpServlet implements AutoCloseable {
  /** What a client that knows only the text format sends. */
  static final String TEXT_ONLY = "text/plain;version=0.0.4";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Map<String, Case> cases;
  private final Map<String, String> relayedTypes = new ConcurrentHashMap<>();
  private transient TestTomcat tomcat;
  private volatile int proxyPort;

  private LoopbackBodies(List<Case> cases) {
    this.cases = cases.stream().collect(Collectors.toMap(Case::id, Function.identity()));
  }

  static LoopbackBodies start(List<Case> cases, Path base) throws LifecycleException {
    LoopbackBodies bodies = new LoopbackBodies(cases);
    bodies.tomcat =
        TestTomcat.start(
            base,
            t -> {
              Context context = t.addContext("", null);
              Tomcat.addServlet(context, "bodies", bodies);
              context.addServletMappingDecoded("/*", "bodies");
            });
    return bodies;
  }

  /**
   * Fails unless every body comes back byte for byte, with its Content-Type or none; Tomcat writes
   * "; charset=" as ";charset=", which HTTP (optional white space) and every parser here read
   * alike.
   */
  void assertFaithful() throws IOException, InterruptedException {
    for (Case c : cases.values()) {
      HttpResponse<byte[]> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path(c))).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (!Arrays.equals(r.body(), c.body())
          || !r.headers()
              .firstValue("Content-Type")
              .map(LoopbackBodies::tight)
              .equals(c.contentType().map(LoopbackBodies::tight))) {
        throw new AssertionError(
            c.id() + " served as " + r.headers().firstValue("Content-Type") + ", not as it is");
      }
    }
  }

  private static String tight(String contentType) {
    return contentType.replaceAll("\\s*;\\s*", ";");
  }

  static String path(Case c) {
    return "/body/" + c.id();
  }

  static String relayPath(String name) {
    return "/text/" + name;
  }

  int port() {
    return tomcat.port();
  }

  void relayTo(int port) {
    this.proxyPort = port;
  }

  /** The Content-Type of the proxy's last answer for {@code name} to the text-only client. */
  String relayedType(String name) {
    return relayedTypes.getOrDefault(name, "(never asked)");
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    if (path.startsWith("/body/")) {
      body(path.substring("/body/".length()), resp);
    } else if (path.startsWith("/text/")) {
      relay(path.substring("/text/".length()), resp);
    } else {
      resp.sendError(404);
    }
  }

  private void body(String id, HttpServletResponse resp) throws IOException {
    Case c = cases.get(id);
    if (c == null) {
      resp.sendError(404);
      return;
    }
    c.contentType().ifPresent(t -> resp.setHeader("Content-Type", t));
    send(resp, 200, c.body());
  }

  private void relay(String name, HttpServletResponse resp) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxyPort + "/" + name + "/metrics"))
            .header("Accept", TEXT_ONLY)
            .timeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<byte[]> answer;
    try {
      answer = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    relayedTypes.put(name, answer.headers().firstValue("Content-Type").orElse("(none)"));
    answer.headers().firstValue("Content-Type").ifPresent(t -> resp.setHeader("Content-Type", t));
    send(resp, answer.statusCode(), answer.body());
  }

  private static void send(HttpServletResponse resp, int status, byte[] body) throws IOException {
    resp.setStatus(status);
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.close();
  }
}
