package io.appmetricsproxy.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.exposition.Format;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scraper against real HTTP servers on loopback. */
class ScraperTest {
  private static final String METRICS =
      "# HELP up_things Things.\n# TYPE up_things gauge\nup_things{a=\"1\"} 3\n";

  private HttpServer server;
  private Scraper scraper;
  private final Map<String, Integer> hits = new ConcurrentHashMap<>();
  private final List<String> accepts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
    scraper = new Scraper(new HttpFetcher(Duration.ofMillis(1500), 4096, 4, new LargeBodies(4)), 4);
  }

  @AfterEach
  void stop() {
    scraper.close();
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    hits.merge(path, 1, Integer::sum);
    accepts.add(ex.getRequestHeaders().getFirst("Accept"));
    switch (path) {
      case "/metrics" -> send(ex, 200, "text/plain; version=0.0.4", METRICS.getBytes(UTF8));
      case "/no-newline" -> send(ex, 200, "text/plain", "x 1".getBytes(UTF8));
      case "/login" -> send(ex, 200, "text/html", "<html><body>Login</body></html>".getBytes(UTF8));
      case "/broken" -> send(ex, 500, "text/plain", "oops".getBytes(UTF8));
      case "/empty" -> send(ex, 200, "text/plain", new byte[0]);
      case "/huge" -> send(ex, 200, "text/plain", ("x 1\n".repeat(5000)).getBytes(UTF8));
      case "/openmetrics" ->
          send(
              ex,
              200,
              "application/openmetrics-text; version=1.0.0",
              "# TYPE x counter\nx_total 1\n# EOF\n".getBytes(UTF8));
      case "/gzip" -> {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
          gz.write(METRICS.getBytes(UTF8));
        }
        ex.getResponseHeaders().add("Content-Encoding", "gzip");
        send(ex, 200, "text/plain", zipped.toByteArray());
      }
      case "/hang" -> {
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
        ex.close();
      }
      default -> send(ex, 404, "text/plain", "not found".getBytes(UTF8));
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private Target target(String path, int... ports) {
    return new Target(
        "id" + path,
        "c" + path,
        "n" + path,
        "127.0.0.1",
        java.util.Arrays.stream(ports).boxed().toList(),
        path);
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private ScrapeResult scrape(Target t) throws InterruptedException {
    return scraper.scrape(List.of(t)).get(0);
  }

  @Test
  void withoutNativeHistogramsTargetsAreAskedAsBefore() throws InterruptedException {
    try (Scraper asBefore =
        new Scraper(
            new HttpFetcher(Duration.ofMillis(1500), 4096, 4, new LargeBodies(4), false), 4)) {
      assertThat(asBefore.scrape(List.of(target("/metrics", port()))).get(0).ok()).isTrue();
    }
    assertThat(accepts)
        .containsExactly(
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
                + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
  }

  @Test
  void theFirstPortWithValidMetricsWinsAndIsAskedFirstNextTime() throws Exception {
    int closed = closedPort();
    Target t = target("/metrics", closed, port());
    ScrapeResult first = scrape(t);
    assertThat(first.ok()).isTrue();
    assertThat(((ScrapeResult.Success) first).port()).isEqualTo(port());
    assertThat(new String(((ScrapeResult.Success) first).payload().toByteArray(), UTF8))
        .isEqualTo(METRICS);
    assertThat(((ScrapeResult.Success) first).payload().format()).isEqualTo(Format.TEXT);
    assertThat(scraper.answered(t)).contains(port());
    assertThat(accepts.get(0))
        .isEqualTo(
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,"
                + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
                + "*/*;q=0.1");
  }

  @Test
  void htmlIsNotMetrics() throws Exception {
    ScrapeResult r = scrape(target("/login", port()));
    assertThat(r.ok()).isFalse();
    assertThat(((ScrapeResult.Failure) r).error().reason()).isEqualTo(ScrapeError.Reason.INVALID);
    assertThat(((ScrapeResult.Failure) r).error().message())
        .startsWith(port() + ": HTTP 200 but not Prometheus text (line 1: ");
  }

  @Test
  void everyPortsFailureIsListedAndTheMostTellingReasonCounts() throws Exception {
    int closed = closedPort();
    ScrapeResult r = scrape(target("/broken", closed, port()));
    assertThat(((ScrapeResult.Failure) r).error().reason())
        .isEqualTo(ScrapeError.Reason.HTTP_STATUS);
    assertThat(((ScrapeResult.Failure) r).error().message())
        .isEqualTo(closed + ": connection refused; " + port() + ": HTTP 500 Internal Server Error");
  }

  @Test
  void emptyAndOversizedBodiesAreErrors() throws Exception {
    assertThat(((ScrapeResult.Failure) scrape(target("/empty", port()))).error().reason())
        .isEqualTo(ScrapeError.Reason.EMPTY);
    ScrapeResult huge = scrape(target("/huge", port()));
    assertThat(((ScrapeResult.Failure) huge).error().reason())
        .isEqualTo(ScrapeError.Reason.TOO_LARGE);
    assertThat(((ScrapeResult.Failure) huge).error().message())
        .contains("MAX_BODY_SIZE (4096 bytes)");
  }

  @Test
  void aGzippedBodyIsReadDecompressed() throws Exception {
    ScrapeResult r = scrape(target("/gzip", port()));
    assertThat(new String(((ScrapeResult.Success) r).payload().toByteArray(), UTF8))
        .isEqualTo(METRICS);
  }

  @Test
  void aMissingFinalNewlineIsAdded() throws Exception {
    assertThat(
            new String(
                ((ScrapeResult.Success) scrape(target("/no-newline", port())))
                    .payload()
                    .toByteArray(),
                UTF8))
        .isEqualTo("x 1\n");
  }

  @Test
  void openMetricsIsKeptAsOpenMetrics() throws Exception {
    assertThat(((ScrapeResult.Success) scrape(target("/openmetrics", port()))).payload().format())
        .isEqualTo(Format.OPENMETRICS);
  }

  @Test
  void aHangingTargetTimesOutWithoutHarmingTheOthers() throws Exception {
    List<ScrapeResult> results =
        scraper.scrape(List.of(target("/hang", port()), target("/metrics", port())));
    assertThat(((ScrapeResult.Failure) results.get(0)).error().reason())
        .isEqualTo(ScrapeError.Reason.TIMEOUT);
    assertThat(((ScrapeResult.Failure) results.get(0)).error().message())
        .contains("scrape timeout of 1.5s");
    assertThat(results.get(1).ok()).isTrue();
  }

  @Test
  void portsThatNeverAnswerCostOneConnectWaitNotOneEach() throws Exception {
    // a 3 s scrape timeout, a 2 s connect timeout: asked one after the other, the two silent ports
    // would take all of it, and the third would not be tried
    try (Unanswered a = new Unanswered();
        Unanswered b = new Unanswered();
        Scraper patient =
            new Scraper(new HttpFetcher(Duration.ofSeconds(3), 4096, 4, new LargeBodies(4)), 4)) {
      ScrapeResult r =
          patient.scrape(List.of(target("/metrics", a.port(), b.port(), port()))).get(0);
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(((ScrapeResult.Success) r).port()).isEqualTo(port());
      ScrapeResult silent = patient.scrape(List.of(target("/metrics", a.port(), b.port()))).get(0);
      assertThat(((ScrapeResult.Failure) silent).error())
          .isEqualTo(
              new ScrapeError(
                  ScrapeError.Reason.TIMEOUT,
                  a.port()
                      + ": no connect within the scrape timeout of 3s; "
                      + b.port()
                      + ": no connect within the scrape timeout of 3s"));
    }
  }

  @Test
  void eachResultIsHandedOnAsSoonAsItIsMadeAndTheListKeepsTheTargetsOrder() throws Exception {
    List<String> handed = new CopyOnWriteArrayList<>();
    List<ScrapeResult> results =
        scraper.scrape(
            List.of(target("/hang", port()), target("/metrics", port())),
            r -> handed.add(r.target().path()));
    assertThat(handed)
        .as("the good one did not wait for the hanging one")
        .containsExactly("/metrics", "/hang");
    assertThat(results).extracting(r -> r.target().path()).containsExactly("/hang", "/metrics");
  }

  @Test
  void portsOfGoneContainersAreForgotten() throws Exception {
    Target t = target("/metrics", port());
    scrape(t);
    assertThat(scraper.answered(t)).contains(port());
    scraper.scrape(List.of());
    Target again = target("/metrics", closedPort(), port());
    assertThat(scraper.answered(again)).isEmpty();
    assertThat(hits).containsKey("/metrics");
  }

  /**
   * A target that answers one request per connection and keeps it alive, then closes it when the
   * next request comes (its idle timer ran out as the request went out): a scrape that reuses the
   * connection gets no response, and asks once more on a new one, as Prometheus would. A target
   * that closes every connection unanswered still fails, after two tries.
   */
  @Test
  void aKeptConnectionTheTargetClosedIsAskedAgainOnANewOne() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    AtomicBoolean answer = new AtomicBoolean(true);
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket c = listener.accept()) {
                    connections.incrementAndGet();
                    BufferedReader in =
                        new BufferedReader(new InputStreamReader(c.getInputStream(), UTF8));
                    readRequest(in);
                    if (answer.get()) {
                      byte[] body = METRICS.getBytes(UTF8);
                      OutputStream out = c.getOutputStream();
                      out.write(
                          ("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                                  + "Content-Length: "
                                  + body.length
                                  + "\r\n\r\n")
                              .getBytes(UTF8));
                      out.write(body);
                      out.flush();
                      readRequest(in); // the next request on this connection: closed unanswered
                    }
                  } catch (IOException e) {
                    // the listener closed, or the client went
                  }
                }
              },
              "closing-target");
      server.setDaemon(true);
      server.start();
      Target t = target("/metrics", listener.getLocalPort());

      assertThat(scrape(t).ok()).isTrue();
      ScrapeResult again = scrape(t);

      assertThat(again.ok()).as(String.valueOf(again)).isTrue();
      assertThat(connections.get()).isEqualTo(2);

      answer.set(false);
      ScrapeResult never = scrape(t);
      assertThat(never.ok()).isFalse();
      assertThat(connections.get()).isEqualTo(3); // the kept one, then one new one: no third try
    }
  }

  private static void readRequest(BufferedReader in) throws IOException {
    String line;
    do {
      line = in.readLine();
    } while (line != null && !line.isEmpty());
  }
}
