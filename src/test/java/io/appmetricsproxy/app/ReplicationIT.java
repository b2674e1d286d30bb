package io.appmetricsproxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.config.Config;
import io.appmetricsproxy.discover.Discovery;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.discover.TargetSource;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.testing.Promtool;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three proxies on this machine, each with its own store and SFTP server on a loopback port, one of
 * them driving the exchanges (as a Swarm manager does) over real SSH. Their targets are real HTTP
 * endpoints on loopback; cycles and rounds are run by the test, one at a time, so that every step
 * is checked.
 */
class ReplicationIT {
  private static final String SSHPASS = "It-s3cret-Pa55-" + System.nanoTime();

  @TempDir Path dir;
  private HttpServer http;
  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logs.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** One proxy: its targets are set by the test. */
  private final class Node implements TargetSource {
    final String name;
    final int port;
    final List<Target> targets = new CopyOnWriteArrayList<>();
    Proxy proxy;

    Node(String name, int port) {
      this.name = name;
      this.port = port;
    }

    void start(String password, String peers) {
      start(password, peers, Map.of());
    }

    void start(String password, String peers, Map<String, String> more) {
      Map<String, String> env = new HashMap<>(more);
      env.put("NODE_NAME", name);
      env.put("STORE_DIR", dir.resolve(name).resolve("store").toString());
      env.put("SSHPASS", password);
      env.put("REPLICATION_PORT", Integer.toString(port));
      env.put("REPLICATION_PEERS", peers);
      env.put("REPLICATION_TIMEOUT", "3");
      proxy = new Proxy(Config.fromEnvironment(env, dir.resolve("unused")), this);
    }

    void serve(String container, String name, String body, boolean shared) {
      bodies.put("/" + container, body.getBytes(StandardCharsets.UTF_8));
      targets.removeIf(t -> t.containerId().equals(container));
      targets.add(
          new Target(
              container,
              container,
              name,
              "127.0.0.1",
              List.of(http.getAddress().getPort()),
              "/" + container,
              shared,
              Map.of()));
    }

    void cycle() throws InterruptedException {
      proxy.cycle().run();
    }

    ReplicationReport round() throws InterruptedException {
      return proxy.replication().run();
    }

    Optional<String> served(String name) {
      return proxy
          .state()
          .view()
          .snapshot()
          .get(name)
          .map(Served::payload)
          .map(p -> new String(p.toByteArray(), StandardCharsets.UTF_8));
    }

    Path shared() {
      return dir.resolve(name).resolve("store").resolve("shared");
    }

    @Override
    public Discovery discover() {
      return new Discovery(name, List.copyOf(targets), List.of());
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void start() throws IOException {
    // Every level of our code and of both SSH sides; not the HTTP client's byte-by-byte wire log.
    Logger.getLogger("").addHandler(capture);
    Logger.getLogger("io.appmetricsproxy").setLevel(Level.ALL);
    Logger.getLogger("org.apache.sshd").setLevel(Level.FINE);
    Logger.getLogger("com.jcraft.jsch").setLevel(Level.ALL);
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          byte[] body = bodies.get(exchange.getRequestURI().getPath());
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    http.start();
  }

  @AfterEach
  void stop() {
    nodes.forEach(n -> n.proxy.close());
    http.stop(0);
    Logger.getLogger("").removeHandler(capture);
    Logger.getLogger("io.appmetricsproxy").setLevel(null);
    Logger.getLogger("org.apache.sshd").setLevel(null);
    Logger.getLogger("com.jcraft.jsch").setLevel(null);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A manager "m" with peers "w1" and "w2" that only answer, as Swarm workers do. */
  private List<Node> cluster() throws IOException {
    Node m = new Node("m", freePort());
    Node w1 = new Node("w1", freePort());
    Node w2 = new Node("w2", freePort());
    w1.start(SSHPASS, "");
    w2.start(SSHPASS, "");
    m.start(SSHPASS, "127.0.0.1:" + w1.port + ",127.0.0.1:" + w2.port);
    nodes.addAll(List.of(m, w1, w2));
    return nodes;
  }

  private void cycleAll() throws InterruptedException {
    for (Node n : nodes) {
      n.cycle();
    }
  }

  @Test
  void everyNodeServesEveryReplicaMergedAndGlobalEntriesStayLocal() throws Exception {
    List<Node> c = cluster();
    Node m = c.get(0);
    Node w1 = c.get(1);
    Node w2 = c.get(2);
    w1.serve("web1", "web", "# TYPE hits counter\nhits_total 1\n", true);
    w2.serve("web2", "web", "# TYPE hits counter\nhits_total 2\n", true);
    m.serve("api1", "api", "up 1\n", true);
    w1.serve("nx1", "node-exporter", "node_load1 0.5\n", false);
    w2.serve("nx2", "node-exporter", "node_load1 0.7\n", false);
    cycleAll();

    ReplicationReport report = m.round();

    assertThat(report.peers()).allSatisfy(p -> assertThat(p.error()).isEmpty());
    assertThat(report.peers()).extracting(PeerReport::role).containsOnly(Role.CONFIGURED);
    for (Node n : c) {
      String web = n.served("web").orElseThrow();
      assertThat(web)
          .as("web on " + n.name)
          .containsOnlyOnce("# TYPE hits counter")
          .contains("hits_total{container=\"web1\",node=\"w1\"} 1")
          .contains("hits_total{container=\"web2\",node=\"w2\"} 2");
      Promtool.assertParses("/web/metrics on " + n.name, web.getBytes(StandardCharsets.UTF_8));
      assertThat(n.served("api")).contains("up 1\n");
    }
    assertThat(w1.served("node-exporter")).contains("node_load1 0.5\n");
    assertThat(w2.served("node-exporter")).contains("node_load1 0.7\n");
    assertThat(m.served("node-exporter")).isEmpty();
  }

  @Test
  void anUnchangedRoundMovesNoEntryAndAChangeOrARemovalReachesEveryNode() throws Exception {
    List<Node> c = cluster();
    Node m = c.get(0);
    Node w1 = c.get(1);
    Node w2 = c.get(2);
    w1.serve("web1", "web", "hits_total 1\n", true);
    w1.serve("job1", "job", "runs_total 3\n", true);
    cycleAll();
    m.round();

    cycleAll();
    ReplicationReport unchanged = m.round();
    for (PeerReport p : unchanged.peers()) {
      assertThat(p.entriesSent() + p.entriesReceived() + p.deleted()).isZero();
      assertThat(p.bytesSent() + p.bytesReceived()).isLessThan(20_000);
    }

    w1.serve("web1", "web", "hits_total 2\n", true);
    w1.targets.removeIf(t -> t.containerId().equals("job1"));
    w1.cycle();
    ReplicationReport changed = m.round();

    assertThat(changed.peers().get(0).entriesReceived()).isEqualTo(1);
    assertThat(changed.peers().get(0).deleted()).isEqualTo(1);
    for (Node n : c) {
      assertThat(n.served("web")).as("web on " + n.name).contains("hits_total 2\n");
      assertThat(n.served("job")).as("job on " + n.name).isEmpty();
    }
    assertThat(w2.shared().resolve("w1/job1.entry")).doesNotExist();
  }

  /**
   * Twelve answering nodes, three times the round's threads (REPLICATION_CONCURRENCY=4): a round
   * ends as soon as its exchanges end (with more peers than threads it once stalled for half the
   * round, 5 s, its first passes starved of threads by second passes waiting for them), and a
   * change reaches every node in one round.
   */
  @Test
  void aRoundWithMorePeersThanThreadsEndsWithItsExchanges() throws Exception {
    int workers = 12;
    Node m = new Node("m", freePort());
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      Node w = new Node("w" + i, freePort());
      w.start(SSHPASS, "");
      w.serve("app" + i, "app", "hits_total " + i + "\n", true);
      nodes.add(w);
      peers.add("127.0.0.1:" + w.port);
    }
    m.start(SSHPASS, String.join(",", peers), Map.of("REPLICATION_CONCURRENCY", "4"));
    nodes.add(0, m);
    cycleAll();

    ReplicationReport first = m.round();

    assertThat(first.peers()).hasSize(workers);
    assertThat(first.peers()).allSatisfy(p -> assertThat(p.error()).isEmpty());
    for (Node n : nodes) { // each worker's entry reached every other worker in that one round
      for (int i = 1; i <= workers; i++) {
        String sample = "node=\"w" + i + "\"} " + i + "\n";
        assertThat(n.served("app")).hasValueSatisfying(b -> assertThat(b).contains(sample));
      }
    }

    cycleAll();
    long start = System.nanoTime();
    ReplicationReport unchanged = m.round();
    Duration quiet = Duration.ofNanos(System.nanoTime() - start);

    // half the round deadline (REPLICATION_INTERVAL, 10 s) is 5 s: the stall's length
    assertThat(quiet).isLessThan(Duration.ofMillis(2500));
    assertThat(unchanged.peers()).allSatisfy(p -> assertThat(p.error()).isEmpty());
    for (PeerReport p : unchanged.peers()) {
      assertThat(p.entriesSent() + p.entriesReceived() + p.deleted()).isZero();
    }

    Node last = nodes.get(workers);
    last.serve("app" + workers, "app", "hits_total 1000\n", true);
    last.cycle();
    start = System.nanoTime();
    ReplicationReport changed = m.round();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofMillis(2500));
    assertThat(changed.peers()).allSatisfy(p -> assertThat(p.error()).isEmpty());
    for (Node n : nodes) {
      assertThat(n.served("app"))
          .hasValueSatisfying(b -> assertThat(b).contains("node=\"w" + workers + "\"} 1000\n"));
    }
    System.out.printf(
        "%d peers: unchanged round %d ms, changed round %d ms%n",
        workers, quiet.toMillis(), took.toMillis());
  }

  @Test
  void aWrongPasswordAndAChangedHostKeyAreRefusedWithClearErrors() throws Exception {
    Node m = new Node("m", freePort());
    Node w1 = new Node("w1", freePort());
    Node w2 = new Node("w2", freePort());
    w1.start(SSHPASS, "");
    w2.start("another-password", "");
    m.start(SSHPASS, "127.0.0.1:" + w1.port + ",127.0.0.1:" + w2.port);
    nodes.addAll(List.of(m, w1, w2));
    cycleAll();

    ReplicationReport first = m.round();
    assertThat(first.peers().get(0).error()).isEmpty();
    assertThat(first.peers().get(1).error())
        .hasValueSatisfying(
            e ->
                assertThat(e)
                    .isEqualTo(
                        "peer 127.0.0.1:"
                            + w2.port
                            + " (127.0.0.1:"
                            + w2.port
                            + "): password refused for user app-metrics-proxy; is SSHPASS the"
                            + " same on every node?"));

    // w1 comes back with a new host key (its key folder lost): m refuses it
    w1.proxy.close();
    Files.delete(dir.resolve("w1/store-ssh/host_key"));
    w1.start(SSHPASS, "");
    w1.cycle();
    ReplicationReport second = m.round();
    assertThat(second.peers().get(0).error())
        .hasValueSatisfying(e -> assertThat(e).contains("host key changed: pinned", "known_peers"));
    assertThat(second.problem()).isEmpty();

    String everything = everythingShown(m) + everythingShown(w1) + everythingShown(w2);
    assertThat(everything).doesNotContain(SSHPASS).doesNotContain("another-password");
  }

  @Test
  void aPeerKilledMidTransferLeavesNoPartialEntryAnywhere() throws Exception {
    List<Node> c = cluster();
    Node m = c.get(0);
    Node w1 = c.get(1);
    Node w2 = c.get(2);
    StringBuilder big = new StringBuilder("# TYPE big gauge\n");
    for (int i = 0; big.length() < 8_000_000; i++) {
      big.append("big{i=\"").append(i).append("\"} ").append(i).append('\n');
    }
    m.serve("big1", "big", big.toString(), true);
    w2.serve("small2", "small", "x 1\n", true);
    cycleAll();
    Thread killer =
        new Thread(
            () -> {
              long until = System.nanoTime() + 20_000_000_000L;
              while (System.nanoTime() < until) {
                try (Stream<Path> files = Files.walk(w1.shared())) {
                  if (files.anyMatch(f -> f.getFileName().toString().contains(".part-"))) {
                    w1.proxy.close();
                    return;
                  }
                } catch (IOException | java.io.UncheckedIOException ignored) {
                  // the folder changes under the walk; look again
                }
              }
            });
    killer.start();

    ReplicationReport report = m.round();
    killer.join();

    assertThat(report.peers().get(0).error()).isPresent();
    assertThat(report.peers().get(1).error()).isEmpty();
    assertThat(w2.served("big")).hasValueSatisfying(b -> assertThat(b).hasSize(big.length()));
    await(() -> noTempFiles(w1.shared()));
    try (Stream<Path> files = Files.walk(w1.shared())) {
      assertThat(files.filter(f -> f.toString().endsWith(".entry")))
          .allSatisfy(f -> assertThat(Files.size(f)).isGreaterThan(big.length()));
    }
    assertThat(m.served("small")).contains("x 1\n");
  }

  private static boolean noTempFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.noneMatch(
          f ->
              f.getFileName().toString().startsWith(".")
                  && f.getFileName().toString().contains("part"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met within 15 s");
      }
      Thread.sleep(50);
    }
  }

  /** Logs at every level, the replication report, and the own metrics. */
  private String everythingShown(Node n) throws IOException {
    StringBuilder all = new StringBuilder();
    java.util.logging.SimpleFormatter f = new java.util.logging.SimpleFormatter();
    logs.forEach(r -> all.append(f.format(r)));
    all.append(n.proxy.state().view());
    ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(metrics, n.proxy.metrics().registry().scrape());
    all.append(metrics.toString(StandardCharsets.UTF_8));
    return all.toString();
  }
}
