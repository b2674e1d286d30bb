package io.appmetricsproxy.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.discover.Target;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bodies over 1 MiB are read only while they hold a slot; smaller ones never wait. */
class LargeBodiesTest {
  private static final long MIB = 1 << 20;
  private static final byte[] LARGE = body(3 * MIB); // chunked: its size shows only as it grows
  private static final byte[] SMALL = body(64 << 10);

  private HttpServer server;
  private final LargeBodies slots = new LargeBodies(1);
  private HttpFetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/large", ex -> send(ex, LARGE));
    server.createContext("/small", ex -> send(ex, SMALL));
    server.start();
    fetcher = new HttpFetcher(Duration.ofSeconds(1), 8 * MIB, 4, slots);
  }

  @AfterEach
  void stop() {
    fetcher.close();
    server.stop(0);
  }

  @Test
  void aLargeBodyGivesItsSlotBack() {
    for (int i = 0; i < 3; i++) {
      ScrapeResult r = fetch("/large");
      assertThat(r).isInstanceOf(ScrapeResult.Success.class);
      assertThat(((ScrapeResult.Success) r).payload().size()).isEqualTo(LARGE.length);
    }
  }

  @Test
  void aLargeBodyWaitsForAFreeSlotUntilTheTimeoutAndSmallOnesDoNot() throws Exception {
    try (LargeBodies.Claim other = slots.claim()) {
      other.acquire(System.nanoTime() + Duration.ofSeconds(5).toNanos());

      assertThat(fetch("/small"))
          .as("a small body needs no slot")
          .isInstanceOf(ScrapeResult.Success.class);
      ScrapeResult waited = fetch("/large");
      assertThat(waited)
          .isInstanceOfSatisfying(
              ScrapeResult.Failure.class,
              f -> {
                ScrapeError e = f.error();
                assertThat(e.reason()).isEqualTo(ScrapeError.Reason.TIMEOUT);
                assertThat(e.message()).contains("waited for memory", "1 such bodies");
              });
    }
    assertThat(fetch("/large"))
        .as("once the slot is free")
        .isInstanceOf(ScrapeResult.Success.class);
  }

  @Test
  void slotsAreAsManyAsHalfOfTheHeapHoldsAtTheBodyCap() {
    assertThat(LargeBodies.forHeap(256 * MIB, 10 * MIB, 32).count())
        .as("256 MB heap, 10 MiB bodies at 6 bytes of heap each")
        .isEqualTo(2);
    assertThat(LargeBodies.forHeap(6L << 30, 10 * MIB, 32).count())
        .as("never more than the scrapes")
        .isEqualTo(32);
    assertThat(LargeBodies.forHeap(64 * MIB, 100 * MIB, 32).count()).isEqualTo(1);
  }

  private ScrapeResult fetch(String path) {
    int port = server.getAddress().getPort();
    return fetcher.fetch(
        new Target("id" + path, "c" + path, "n" + path, "127.0.0.1", List.of(port), path));
  }

  private static void send(HttpExchange ex, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
    ex.sendResponseHeaders(200, 0); // chunked
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] body(long size) {
    StringBuilder b = new StringBuilder("# TYPE hits_total counter\n");
    for (int i = 0; b.length() < size; i++) {
      b.append("hits_total{path=\"/api/").append(i).append("\"} ").append(i).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
