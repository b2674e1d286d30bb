package io.appmetricsproxy.app;

import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import io.appmetricsproxy.status.Served;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.Scheduler;

/**
 * Replication figures between two proxies in one JVM, on their real schedules and real SSH: a
 * manager and a node with {@code entries} targets. Run by {@code bench/replication.sh}.
 *
 * <p>Arguments: interval in seconds (scrape and replication, default 10), trials (default 5),
 * entries (default 300).
 */
public final class ReplicationBench {
  /** The proxies' SSHPASS: one per run, the same in a node's JVM of its own ({@link ScaleNode}). */
  static final String SSHPASS = System.getProperty("benchSshpass", "bench-" + System.nanoTime());

  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final HttpServer http;

  private ReplicationBench() throws IOException {
    http = serve(bodies, 8);
  }

  /** An HTTP server on loopback that answers each path with its body in {@code bodies}. */
  static HttpServer serve(Map<String, byte[]> bodies, int threads) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          byte[] body = bodies.get(exchange.getRequestURI().getPath());
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(threads));
    http.start();
    return http;
  }

  public static void main(String[] args) throws Exception {
    int interval = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int trials = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int entries = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    new ReplicationBench().run(interval, trials, entries);
    System.exit(0);
  }

  private static String body(int i, long value) {
    StringBuilder b = new StringBuilder("# TYPE requests counter\n");
    for (int line = 0; line < 10; line++) {
      b.append("requests_total{path=\"/p").append(line).append("\",app=\"a").append(i);
      b.append("\"} ").append(line == 0 ? value : line * 1000 + i).append('\n');
    }
    return b.toString();
  }

  private void run(int interval, int trials, int entries) throws Exception {
    Path dir = Files.createTempDirectory("amp-replication-bench");
    int workerPort = freePort();
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      bodies.put("/t" + i, body(i, 0).getBytes(StandardCharsets.UTF_8));
      targets.add(
          new Target(
              "c" + i,
              "app-" + i,
              "app-" + i,
              "127.0.0.1",
              List.of(http.getAddress().getPort()),
              "/t" + i));
    }
    Proxy worker = proxy(dir, "worker", interval, workerPort, "", targets);
    Proxy manager =
        proxy(dir, "manager", interval, freePort(), "127.0.0.1:" + workerPort, List.of());
    List<Scheduler> schedulers = new ArrayList<>();
    long phase = (long) (Math.random() * interval * 1000);
    for (Proxy p : List.of(worker, manager)) {
      if (p == manager) {
        Thread.sleep(phase); // nodes start at unrelated times
      }
      schedulers.add(
          Schedules.start(
              p.cycle(),
              p.config().scrape().interval(),
              p.replication(),
              p.config().replication().interval(),
              p.identity()));
    }
    long warm = System.nanoTime();
    await(() -> manager.state().view().snapshot().size() == entries, 20L * interval);
    System.out.printf(
        "first copy of %d entries served on the manager after %.1f s%n",
        entries, (System.nanoTime() - warm) / 1e9);

    Thread.sleep(2500L * interval); // settled: no scrape changes anything now
    PeerReport unchanged = lastPeer(manager);

    bodies.put("/t7", body(7, 1).getBytes(StandardCharsets.UTF_8));
    await(() -> served(manager, "app-7").contains(" 1\n"), 5L * interval);
    Thread.sleep(500);
    PeerReport oneChanged = lastPeer(manager);

    List<Double> latencies = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      long value = 100 + t;
      Thread.sleep((long) (Math.random() * interval * 1000));
      long start = System.nanoTime();
      bodies.put("/t3", body(3, value).getBytes(StandardCharsets.UTF_8));
      await(() -> served(manager, "app-3").contains(" " + value + "\n"), 5L * interval);
      latencies.add((System.nanoTime() - start) / 1e9);
    }
    Collections.sort(latencies);
    System.out.println();
    System.out.printf(
        "| figure (interval %d s, %d entries, manager started %.1f s after the node) | value |%n",
        interval, entries, phase / 1e3);
    System.out.println("|---|---|");
    System.out.printf(
        "| change on one node -> served on the other, median of %d | %.2f s (%.2f intervals) |%n",
        trials,
        latencies.get(latencies.size() / 2),
        latencies.get(latencies.size() / 2) / interval);
    System.out.printf(
        "| same, max | %.2f s (%.2f intervals) |%n",
        latencies.get(latencies.size() - 1), latencies.get(latencies.size() - 1) / interval);
    System.out.printf(
        "| unchanged exchange: entries moved, bytes on the wire (sent + received, SSH included) |"
            + " %d, %d B |%n",
        unchanged.entriesSent() + unchanged.entriesReceived() + unchanged.deleted(),
        unchanged.bytesSent() + unchanged.bytesReceived());
    System.out.printf(
        "| 1 of %d entries changed: entries moved, bytes on the wire | %d, %d B |%n",
        entries,
        oneChanged.entriesSent() + oneChanged.entriesReceived() + oneChanged.deleted(),
        oneChanged.bytesSent() + oneChanged.bytesReceived());
    System.out.printf(
        "| exchange duration (unchanged, 1 changed) | %d ms, %d ms |%n",
        unchanged.duration().toMillis(), oneChanged.duration().toMillis());
    for (Scheduler s : schedulers) {
      Schedules.stop(s);
    }
    worker.close();
    manager.close();
    http.stop(0);
  }

  private static PeerReport lastPeer(Proxy p) {
    Optional<ReplicationReport> r = p.state().view().replication();
    return r.orElseThrow().peers().get(0);
  }

  /** What {@code p} serves under {@code name}, as text; empty when nothing. */
  static String served(Proxy p, String name) {
    return p.state()
        .view()
        .snapshot()
        .get(name)
        .map(Served::payload)
        .map(x -> new String(x.toByteArray(), StandardCharsets.UTF_8))
        .orElse("");
  }

  /** A proxy of {@code node} on its own store and replication port, with these targets. */
  static Proxy proxy(
      Path dir, String node, int interval, int port, String peers, List<Target> targets) {
    return proxy(dir, node, interval, port, peers, targets, Map.of());
  }

  /** The same with more settings, e.g. {@code MAX_AGE}. */
  static Proxy proxy(
      Path dir,
      String node,
      int interval,
      int port,
      String peers,
      List<Target> targets,
      Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.putAll(
        Map.of(
            "NODE_NAME",
            node,
            "STORE_DIR",
            dir.resolve(node).toString(),
            "SSHPASS",
            SSHPASS,
            "SCRAPE_INTERVAL",
            Integer.toString(interval),
            "REPLICATION_PORT",
            Integer.toString(port),
            "REPLICATION_PEERS",
            peers));
    TargetSource source =
        new TargetSource() {
          @Override
          public Discovery discover() {
            return new Discovery(node, targets, List.of());
          }

          @Override
          public void close() {}
        };
    return new Proxy(Config.fromEnvironment(env, dir), source);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, long seconds)
      throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("not reached within " + seconds + " s");
      }
      Thread.sleep(20);
    }
  }
}
