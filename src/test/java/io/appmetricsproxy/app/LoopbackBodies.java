package io.appmetricsproxy.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.testing.ConformanceCorpus.Case;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The corpus on loopback: {@code /body/<id>} serves a case's body byte for byte with its
 * Content-Type (none where it has none), and {@code /text/<name>} relays the proxy's {@code
 * /<name>/metrics} as a text-only client asks for it, so that Prometheus (which always asks for
 * OpenMetrics first) reads what such a client gets.
 */
final class LoopbackBodies implements AutoCloseable {
  /** What a client that knows only the text format sends. */
  static final String TEXT_ONLY = "text/plain;version=0.0.4";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final HttpServer server;
  private final HttpServer relay;
  private final ExecutorService threads;
  private final Map<String, Case> cases;
  private final Map<String, String> relayedTypes = new ConcurrentHashMap<>();
  private volatile int proxyPort;

  private LoopbackBodies(
      HttpServer server, HttpServer relay, ExecutorService threads, Map<String, Case> cases) {
    this.server = server;
    this.relay = relay;
    this.threads = threads;
    this.cases = cases;
  }

  static LoopbackBodies start(List<Case> cases) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
    HttpServer relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
    ExecutorService threads = Executors.newCachedThreadPool();
    LoopbackBodies bodies =
        new LoopbackBodies(
            server,
            relay,
            threads,
            cases.stream().collect(Collectors.toMap(Case::id, Function.identity())));
    server.createContext("/body/", bodies::body);
    relay.createContext("/text/", bodies::relay);
    server.setExecutor(threads);
    relay.setExecutor(threads);
    server.start();
    relay.start();
    return bodies;
  }

  static String path(Case c) {
    return "/body/" + c.id();
  }

  static String relayPath(String name) {
    return "/text/" + name;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The port of the text-only client's relay. */
  int relayPort() {
    return relay.getAddress().getPort();
  }

  void relayTo(int port) {
    this.proxyPort = port;
  }

  /** The Content-Type of the proxy's last answer for {@code name} to the text-only client. */
  String relayedType(String name) {
    return relayedTypes.getOrDefault(name, "(never asked)");
  }

  private void body(HttpExchange exchange) throws IOException {
    try (exchange) {
      Case c = cases.get(exchange.getRequestURI().getPath().substring("/body/".length()));
      if (c == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      c.contentType().ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
      send(exchange, 200, c.body());
    }
  }

  private void relay(HttpExchange exchange) throws IOException {
    try (exchange) {
      String name = exchange.getRequestURI().getPath().substring("/text/".length());
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + proxyPort + "/" + name + "/metrics"))
              .header("Accept", TEXT_ONLY)
              .timeout(Duration.ofSeconds(5))
              .build();
      HttpResponse<byte[]> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      String type = answer.headers().firstValue("Content-Type").orElse("(none)");
      relayedTypes.put(name, type);
      answer
          .headers()
          .firstValue("Content-Type")
          .ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
      send(exchange, answer.statusCode(), answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    relay.stop(0);
    threads.shutdownNow();
  }
}
