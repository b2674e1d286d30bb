package io.appmetricsproxy.app;

import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Replication rounds with many peers in one JVM, so that the figures are the exchanges' and not
 * those of N JVMs sharing a few cores: one proxy drives (as a manager does), N - 1 answer, each
 * with its own store and SFTP server on a loopback port and 5 entries of its own; cycles and rounds
 * are run one after the other, every node's cycle before each round. Prints, for each N, the rounds
 * and time until every node serves every entry and every exchange succeeded, and the median of 3
 * unchanged rounds (wall, slowest peer, sum over peers, bytes on the wire). Run by {@code
 * bench/replication-peers-jvm.sh N...}.
 */
public final class PeersBench {
  private static final String SSHPASS = "bench-" + System.nanoTime();
  private static final int ENTRIES = 5;
  private final HttpServer http;

  private PeersBench() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body =
        "# TYPE requests_total counter\nrequests_total 7\n".getBytes(StandardCharsets.UTF_8);
    http.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.start();
  }

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    PeersBench bench = new PeersBench();
    System.out.println(
        "| N | converged after | round wall | slowest peer | sum over peers | bytes per round |");
    System.out.println("|---|---|---|---|---|---|");
    for (String n : args.length > 0 ? args : new String[] {"5", "10", "20", "40"}) {
      bench.run(Integer.parseInt(n));
    }
    bench.http.stop(0);
    System.exit(0);
  }

  private void run(int n) throws Exception {
    Path dir = Files.createTempDirectory("amp-peers-bench");
    List<Proxy> nodes = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    try {
      for (int i = 2; i <= n; i++) {
        int port = freePort();
        nodes.add(proxy(dir, "n" + i, port, ""));
        peers.add("127.0.0.1:" + port);
      }
      Proxy driver = proxy(dir, "n1", freePort(), String.join(",", peers));
      nodes.add(0, driver);
      long start = System.nanoTime();
      int rounds = 0;
      boolean converged = false;
      while (!converged && rounds < 20) {
        cycleAll(nodes);
        ReplicationReport r = driver.replication().run();
        rounds++;
        converged =
            r.peers().stream().allMatch(p -> p.error().isEmpty())
                && nodes.stream().allMatch(p -> p.state().view().snapshot().size() == 1)
                && nodes.stream().allMatch(p -> served(p) == ENTRIES * n);
      }
      double took = (System.nanoTime() - start) / 1e9;
      if (!converged) {
        System.out.printf("| %d | not in %d rounds (%.1f s) | | | | |%n", n, rounds, took);
        return;
      }
      double[][] figures = new double[3][];
      for (int i = 0; i < figures.length; i++) {
        cycleAll(nodes);
        long t0 = System.nanoTime();
        ReplicationReport r = driver.replication().run();
        double wall = (System.nanoTime() - t0) / 1e9;
        List<PeerReport> ps = r.peers();
        figures[i] =
            new double[] {
              wall,
              ps.stream().mapToDouble(p -> p.duration().toNanos() / 1e9).max().orElse(0),
              ps.stream().mapToDouble(p -> p.duration().toNanos() / 1e9).sum(),
              ps.stream().mapToLong(p -> p.bytesSent() + p.bytesReceived()).sum()
            };
      }
      Arrays.sort(figures, (a, b) -> Double.compare(a[0], b[0]));
      double[] m = figures[1];
      System.out.printf(
          "| %d | %d rounds, %.1f s | %.3f s | %.3f s | %.2f s | %.0f KB |%n",
          n, rounds, took, m[0], m[1], m[2], m[3] / 1000);
    } finally {
      nodes.forEach(Proxy::close);
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Containers served on this node, its own and replicated ones, under the one name. */
  private static int served(Proxy p) {
    return p.state().view().snapshot().get("app").map(s -> s.entries().size()).orElse(0);
  }

  private static void cycleAll(List<Proxy> nodes) throws InterruptedException {
    for (Proxy p : nodes) {
      p.cycle().run();
    }
  }

  private Proxy proxy(Path dir, String node, int port, String peers) {
    List<Target> targets = new ArrayList<>();
    for (int i = 1; i <= ENTRIES; i++) {
      String id = node + "-app-" + i;
      targets.add(
          new Target(id, id, "app", "127.0.0.1", List.of(http.getAddress().getPort()), "/metrics"));
    }
    return ReplicationBench.proxy(dir, node, 10, port, peers, targets);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
