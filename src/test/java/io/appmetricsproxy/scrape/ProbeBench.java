package io.appmetricsproxy.scrape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bare prober beside the proxy in bench/cycle.sh: one {@code GET /containers/json} on the
 * engine's socket, then 64 threads, each container's ports 80, 8080, 9100 in turn, {@code GET
 * /metrics} until one answers 200; no checks, nothing stored. Prints the wall time of a pass and of
 * its engine list.
 *
 * <p>Usage: {@code ProbeBench ENGINE_SOCKET [PASSES]}: one pass to warm up (class loading, JIT, as
 * the proxy's cycles are warm), then PASSES timed passes (default 5); prints their median.
 */
public final class ProbeBench {
  private static final int THREADS = 64;
  private static final int[] PORTS = {80, 8080, 9100};

  private ProbeBench() {}

  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      pass(socket, pool, new double[1], 0); // warm-up
      double[] walls = new double[passes];
      double[] lists = new double[passes];
      int answered = 0;
      for (int i = 0; i < passes; i++) {
        long start = System.nanoTime();
        answered = pass(socket, pool, lists, i);
        walls[i] = (System.nanoTime() - start) / 1e9;
      }
      System.out.printf(
          "prober: %d answered; wall %.3f s (median of %d passes: %s); list %.3f s%n",
          answered, median(walls), passes, Arrays.toString(walls), median(lists));
    } finally {
      pool.shutdownNow();
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * One pass: list (its wall time into {@code lists[i]}), then probe every container; the number
   * that answered 200.
   */
  private static int pass(Path socket, ExecutorService pool, double[] lists, int i)
      throws Exception {
    long start = System.nanoTime();
    List<String> addresses = list(socket);
    lists[i] = (System.nanoTime() - start) / 1e9;
    AtomicInteger answered = new AtomicInteger();
    List<Future<?>> running = new ArrayList<>();
    for (String address : addresses) {
      running.add(pool.submit(() -> probe(address, answered)));
    }
    for (Future<?> f : running) {
      f.get();
    }
    return answered.get();
  }

  private static void probe(String address, AtomicInteger answered) {
    for (int port : PORTS) {
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://" + address + ":" + port + "/metrics").toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        if (c.getResponseCode() == 200) {
          try (InputStream in = c.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          answered.incrementAndGet();
          return;
        }
        c.disconnect();
      } catch (IOException ignored) {
        // refused or timed out: the next port
      }
    }
  }

  /** The first address of each running container, from one engine call. */
  private static List<String> list(Path socket) throws IOException {
    byte[] response;
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(
          ByteBuffer.wrap(
              "GET /containers/json HTTP/1.0\r\nHost: docker\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Channels.newInputStream(ch).transferTo(out);
      response = out.toByteArray();
    }
    String text = new String(response, StandardCharsets.UTF_8);
    JsonNode containers = new ObjectMapper().readTree(text.substring(text.indexOf("\r\n\r\n") + 4));
    List<String> addresses = new ArrayList<>();
    for (JsonNode c : containers) {
      for (JsonNode n : c.path("NetworkSettings").path("Networks")) {
        String ip = n.path("IPAddress").asText("");
        if (!ip.isEmpty()) {
          addresses.add(ip);
          break;
        }
      }
    }
    return addresses;
  }
}
