package io.appmetricsproxy.app;

import com.sun.net.httpserver.HttpServer;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Today's replication at scale in one JVM: N proxies, each with its own store, SFTP server on a
 * loopback port and 5 entries of 10 KB; three are managers that drive rounds (every other node is
 * their peer), the others answer. Each interval every node's cycle runs, 1 % of all entries change
 * at random moments on random nodes, and the managers' rounds start a third of an interval apart
 * (or when the one before ended). Manager n1's rounds are measured while the other managers are
 * idle: wall, CPU of the client's threads, SFTP requests and SSH sessions the servers received,
 * bytes on the wire; and each change's time until it is served on another worker. Run by {@code
 * bench/replication-scale.sh N...}.
 */
public final class ScaleBench {
  private static final int ENTRIES = 5;
  private static final int MANAGERS = 3;
  private static final int BODY_BYTES = 10_000;
  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final HttpServer http;
  private final int interval;
  private final int rounds;
  private final long warmupMax;
  private final boolean seed;
  private final boolean split = Boolean.getBoolean("split");

  /**
   * The JIT's seconds in an interval (both JVMs' where n1 has its own, as their compilation MXBeans
   * count them) under which two warm-up intervals in a row must stay before it ends: the nodes of a
   * cluster run for days, and their compilers are idle in the rounds that matter, where the bench's
   * JVM starts anew with the peers' servers not compiled yet (at 200 nodes on 2 cores its JIT took
   * a fifth of the CPU of rounds measured after 2 intervals of warm-up).
   */
  private final double jitSettled;

  private final Random random = new Random(42);
  private final ScheduledExecutorService cycler = Executors.newScheduledThreadPool(2);
  private final java.util.Set<Integer> reserved = ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ExecutorService watchers =
      Executors.newCachedThreadPool(io.appmetricsproxy.lang.Threads.numbered("bench-watch-"));

  private ScaleBench(int interval, int rounds, long warmupMax, boolean seed) throws IOException {
    this.interval = interval;
    this.rounds = rounds;
    this.warmupMax = warmupMax;
    this.seed = seed;
    this.jitSettled = Double.parseDouble(System.getProperty("jitSettled", "" + 0.1 * interval));
    http = ReplicationBench.serve(bodies, 4);
  }

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    // One body server stands in for every node's containers, each of which would have its own: the
    // JDK server's default of 200 idle connections in all would close most of the proxies' kept
    // ones.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    ScaleBench bench =
        new ScaleBench(
            Integer.getInteger("interval", 10),
            Integer.getInteger("rounds", 5),
            Long.getLong("warmup", 300),
            Boolean.parseBoolean(System.getProperty("seed", "true")));
    List<String> sizes = args.length > 0 ? List.of(args) : List.of("10", "50", "200");
    String last = "";
    try {
      for (String n : sizes) {
        last = bench.run(Integer.parseInt(n));
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1); // a failed run ends too: the proxies' threads would keep the JVM up
    }
    System.out.println(last);
    System.exit(0); // ends the proxies' and the body server's threads too
  }

  /**
   * A node's 5 containers, named {@code <node>-app-<i>}; {@code remote}: n1 in a JVM of its own
   * ({@code SPLIT=1}, {@link ScaleNode}), whose {@code proxy} is then null.
   */
  private record Node(String name, Proxy proxy, boolean manager, ScaleNode.Remote remote) {
    Node(String name, Proxy proxy, boolean manager) {
      this(name, proxy, manager, null);
    }

    /** Its cycle, now (a value, so that it is a task that may throw). */
    Void cycle() throws InterruptedException {
      if (remote != null) {
        remote.call("cycle");
      } else {
        proxy.cycle().run();
      }
      return null;
    }

    /** How many names its snapshot serves. */
    int served() {
      return remote != null
          ? Integer.parseInt(remote.call("served"))
          : proxy.state().view().snapshot().size();
    }

    /** The scrapes of its last cycle that failed. */
    int failedScrapes() {
      return remote != null
          ? Integer.parseInt(remote.call("failed"))
          : ScaleNode.failedScrapes(proxy);
    }

    /** The milliseconds its JVM's JIT compilers have spent so far. */
    long compileMillis() {
      return remote != null ? Long.parseLong(remote.call("jit")) : ScaleNode.compileMillis();
    }

    /** Its own folder's generation, as its store tells it. */
    Optional<String> generation() {
      if (remote != null) {
        return Optional.of(remote.call("generation")).filter(g -> !g.equals("-"));
      }
      return ScaleNode.generation(proxy);
    }

    void close() {
      if (remote == null) {
        proxy.close();
        return;
      }
      try {
        remote.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A change of entry {@code name}, to be served with {@code token} on {@code watcher}. */
  private record Change(String name, String token, Node watcher, long madeNanos) {}

  /** Seconds from each change until its watcher served it, -1 when not within 3 intervals. */
  private final List<CompletableFuture<Double>> served = new CopyOnWriteArrayList<>();

  private String run(int n) throws Exception {
    Path dir = Files.createTempDirectory("amp-scale-bench");
    List<Node> nodes = new ArrayList<>();
    long started = System.nanoTime();
    try {
      WireCounters wire = new WireCounters();
      List<Integer> managerPorts = new ArrayList<>();
      for (int i = 1; i <= MANAGERS; i++) {
        managerPorts.add(ReplicationBench.freePort());
        reserved.add(managerPorts.get(i - 1));
      }
      List<String> workers = new ArrayList<>();
      for (int i = MANAGERS + 1; i <= n; i++) {
        workers.add(start(dir, "n" + i, 0, List.of(), nodes, wire));
      }
      for (int i = 1; i <= MANAGERS; i++) {
        List<String> peers = new ArrayList<>(workers);
        for (int j = 1; j <= MANAGERS; j++) {
          if (j != i) {
            peers.add("127.0.0.1:" + managerPorts.get(j - 1));
          }
        }
        if (i == 1 && split) {
          nodes.add(remote(dir, managerPorts.get(0), peers));
        } else {
          start(dir, "n" + i, managerPorts.get(i - 1), peers, nodes, wire);
        }
      }
      Collections.rotate(nodes, MANAGERS); // n1, n2, n3, then the workers
      System.out.printf(
          "%n## N = %d (%d managers), interval %d s, MAX_AGE %s, %s%s%n",
          n,
          MANAGERS,
          interval,
          System.getProperty("maxAge", "default"),
          seed ? "seeded" : "unseeded: the first copy in the warm-up",
          split ? ", n1 in a JVM of its own" : "");
      if (seed) {
        seed(nodes);
      }
      if (split) {
        warmN1(nodes, wire);
      }
      Tick warm = null;
      int warmRounds = 0;
      int quietJit = 0; // warm-up intervals in a row whose JIT settled
      long warmStart = System.nanoTime();
      while (System.nanoTime() - warmStart < warmupMax * 1_000_000_000L) {
        warm = tick(nodes, wire, true);
        warmRounds++;
        quietJit = warm.jit() <= jitSettled ? quietJit + 1 : 0;
        if (warmRounds >= 2 && converged(nodes, warm) && quietJit >= 2) {
          break;
        }
        System.out.printf(
            "warm-up interval %d (%.0f s in): %s, JIT %.2f s; n1's errors %s%n",
            warmRounds,
            (System.nanoTime() - warmStart) / 1e9,
            coverage(nodes),
            warm.jit(),
            warm.report().peers().stream().flatMap(p -> p.error().stream()).limit(2).toList());
      }
      System.out.printf(
          "warm-up: %d intervals, %.0f s, %s, JIT %.2f s in its last interval (%s)%n",
          warmRounds,
          (System.nanoTime() - warmStart) / 1e9,
          converged(nodes, warm) ? "converged" : "NOT converged: " + coverage(nodes),
          warm.jit(),
          quietJit >= 2 ? "settled" : "NOT settled");
      System.out.println(
          "| round | wall | client CPU | JVM CPU | JIT | peers done / cut | SFTP requests |"
              + " handshakes | bytes | moved | changes served (s) |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      List<Tick> measured = new ArrayList<>();
      served.clear(); // the changes of the warm-up
      for (int r = 1; r <= rounds; r++) {
        Tick t = tick(nodes, wire, true);
        measured.add(t);
        System.out.println(t.row(r));
      }
      Tick tail = tick(nodes, wire, false); // serves the last interval's changes, makes none
      // nothing changed since n1's round before; where changes of the measured intervals were still
      // on their way (rounds longer than a third of an interval), up to two more such rounds
      Tick quiet = tick(nodes, wire, false);
      System.out.println(quiet.row(0) + " (no change)");
      for (int more = 0; more < 2 && quiet.moved() > 0; more++) {
        quiet = tick(nodes, wire, false);
        System.out.println(
            quiet.row(0) + " (no change, again: the one before still moved entries)");
      }
      List<Tick> alone = new ArrayList<>();
      for (int a = 0; a < 3; a++) {
        alone.add(alone(nodes, wire));
        System.out.println(
            alone.get(a).row(0) + " (alone: every node's cycle, then only n1's round)");
      }
      Summary s = new Summary(measured, tail, quiet);
      System.out.printf(
          "medians: round wall %.2f s, client CPU %.2f s, requests %d, handshakes %d,"
              + " unchanged bytes per peer %d (%d exchanges), change to served %.2f s (%d changes,"
              + " %d not served in %d s); round alone %.3f s, client CPU %.3f s (%.3f ms per"
              + " exchange, the JVM's %.2f ms); run %.0f s%n",
          s.wall,
          s.cpu,
          s.requests,
          s.handshakes,
          s.unchangedBytes,
          s.unchangedCount,
          s.served,
          s.changes,
          s.lost,
          3 * interval,
          Summary.median(alone.stream().map(Tick::wall).toList()),
          Summary.median(alone.stream().map(Tick::cpu).toList()),
          Summary.median(
              alone.stream().map(t -> 1e3 * t.cpu() / t.report().peers().size()).toList()),
          Summary.median(
              alone.stream().map(t -> 1e3 * t.jvmCpu() / t.report().peers().size()).toList()),
          (System.nanoTime() - started) / 1e9);
      return String.format(
          "replication-scale: nodes %d managers %d round_wall_s %.2f round_cpu_s %.2f requests %d"
              + " handshakes %d unchanged_bytes_per_peer %d change_to_served_s %.2f",
          n, MANAGERS, s.wall, s.cpu, s.requests, s.handshakes, s.unchangedBytes, s.served);
    } finally {
      nodes.forEach(Node::close);
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One interval's figures for manager n1. */
  private record Tick(
      double wall,
      double cpu,
      double jvmCpu,
      long requests,
      long handshakes,
      ReplicationReport report,
      List<Double> served,
      int lost,
      List<String> renewed,
      int scrapeFailures,
      double jit) {
    long bytes() {
      return report.peers().stream().mapToLong(p -> p.bytesSent() + p.bytesReceived()).sum();
    }

    long cut() {
      return report.peers().stream().filter(p -> p.error().isPresent()).count();
    }

    int moved() {
      return report.peers().stream()
          .mapToInt(p -> p.entriesSent() + p.entriesReceived() + p.deleted())
          .sum();
    }

    String row(int r) {
      return String.format(
              "| %d | %.3f s | %.3f s | %.2f s | %.2f s | %d / %d | %d | %d | %,d B | %d | %s%s |",
              r,
              wall,
              cpu,
              jvmCpu,
              jit,
              report.peers().size() - cut(),
              cut(),
              requests,
              handshakes,
              bytes(),
              moved(),
              served.stream().map(d -> String.format("%.2f", d)).toList(),
              lost > 0 ? ", " + lost + " not served" : "")
          + (cut() == 0
              ? ""
              : " first error: "
                  + report.peers().stream().flatMap(p -> p.error().stream()).findFirst().get())
          + (scrapeFailures == 0 ? "" : " failed scrapes: " + scrapeFailures)
          + (renewed.isEmpty()
              ? ""
              : " new generations: " + renewed.size() + " " + renewed.stream().limit(5).toList());
    }
  }

  /**
   * One interval: every node's cycle at its own moment of it, as each node's schedule runs it, and
   * the managers' rounds a third of an interval apart, n1's measured, while a changer makes 1 % of
   * all entries change at random moments.
   */
  private Tick tick(List<Node> nodes, WireCounters wire, boolean changes) throws Exception {
    long start = System.nanoTime();
    double compiled = compileSeconds(nodes);
    Map<String, String> before = generations(nodes);
    List<Future<?>> cycles = spreadCycles(nodes);
    int count = changes ? Math.max(1, Math.round(nodes.size() * ENTRIES / 100f)) : 0;
    Thread changer = new Thread(() -> change(nodes, count), "bench-changer");
    changer.start();
    Round n1 = n1Round(nodes, wire);
    for (int m = 1; m < MANAGERS; m++) {
      long at = start + (long) (m * interval * 1e9 / MANAGERS);
      sleepUntil(at);
      nodes.get(m).proxy().replication().run();
    }
    sleepUntil(start + interval * 1_000_000_000L);
    changer.join();
    for (Future<?> f : cycles) {
      f.get();
    }
    int scrapeFailures = scrapeFailures(nodes);
    List<Double> times = new ArrayList<>();
    int lost = 0;
    for (CompletableFuture<Double> f : served) { // changes of this interval and those before
      if (f.isDone()) {
        served.remove(f);
        if (f.get() < 0) {
          lost++;
        } else {
          times.add(f.get());
        }
      }
    }
    Map<String, String> after = generations(nodes);
    List<String> renewed =
        after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k))).sorted().toList();
    return n1.tick(times, lost, renewed, scrapeFailures, compileSeconds(nodes) - compiled);
  }

  /**
   * The seconds the JIT compilers of the bench's JVM, and of n1's where it has its own, have spent
   * so far: while they still compile, they take the cores that the rounds measured would have.
   */
  private static double compileSeconds(List<Node> nodes) {
    Node n1 = nodes.get(0);
    long ms = ScaleNode.compileMillis() + (n1.remote() != null ? n1.compileMillis() : 0);
    return ms / 1e3;
  }

  /** Manager n1's round as measured: wall, its client threads' CPU, the JVM's, on the wire. */
  private record Round(
      double wall,
      double cpu,
      double jvmCpu,
      long requests,
      long handshakes,
      ReplicationReport report) {
    Tick tick(List<Double> served, int lost, List<String> renewed, int scrapeFailures, double jit) {
      return new Tick(
          wall,
          cpu,
          jvmCpu,
          requests,
          handshakes,
          report,
          served,
          lost,
          renewed,
          scrapeFailures,
          jit);
    }
  }

  private static Round n1Round(List<Node> nodes, WireCounters wire) throws InterruptedException {
    long requests = wire.requests.sum();
    long handshakes = wire.handshakes.sum();
    ScaleNode.Remote remote = nodes.get(0).remote();
    ScaleNode.ScaleBenchRound r =
        remote != null ? remote.round() : ScaleNode.measure(nodes.get(0).proxy());
    return new Round(
        r.wall(),
        r.cpu(),
        r.jvmCpu(),
        wire.requests.sum() - requests,
        wire.handshakes.sum() - handshakes,
        r.report());
  }

  /**
   * Manager n1's round with nothing else running: every node's cycle first (each confirms its
   * folder, as in an interval), then n1's round alone, answered by its peers' servers; no other
   * manager, no cycle and no change meanwhile. What the round costs the manager itself, where in
   * {@link #tick} the other 199 nodes' work of the interval shares this machine's cores (on a
   * cluster each node has its own): every node takes every change and three manifests per interval,
   * which grows with N times N in this one JVM whatever the design.
   */
  private Tick alone(List<Node> nodes, WireCounters wire) throws Exception {
    cycleAll(nodes);
    Thread.sleep(2000); // what the cycles started (snapshots, flushes) is over
    double compiled = compileSeconds(nodes);
    Round r = n1Round(nodes, wire);
    return r.tick(List.of(), 0, List.of(), scrapeFailures(nodes), compileSeconds(nodes) - compiled);
  }

  /**
   * n1's rounds back to back until its JVM of its own made {@code warmExchanges} exchanges (12,000
   * by default): its JIT then compiled an exchange's code as fully at every N, where in one JVM the
   * smaller N runs first, and its own JVM starts anew at each N.
   */
  private static void warmN1(List<Node> nodes, WireCounters wire) throws InterruptedException {
    long t0 = System.nanoTime();
    long want = Long.getLong("warmExchanges", 12_000);
    long exchanges = 0;
    int rounds = 0;
    while (exchanges < want) {
      exchanges += n1Round(nodes, wire).report().peers().size();
      rounds++;
    }
    System.out.printf(
        "n1's JIT warm-up: %d rounds back to back, %d exchanges, %.0f s%n",
        rounds, exchanges, (System.nanoTime() - t0) / 1e9);
  }

  /** The scrapes of every node's last cycle that failed. */
  private static int scrapeFailures(List<Node> nodes) {
    int failed = 0;
    for (Node x : nodes) {
      failed += x.failedScrapes();
    }
    return failed;
  }

  /** Each node's own folder's generation, as its store tells it. */
  private static Map<String, String> generations(List<Node> nodes) {
    Map<String, String> g = new java.util.HashMap<>();
    for (Node x : nodes) {
      x.generation().ifPresent(generation -> g.put(x.name(), generation));
    }
    return g;
  }

  /** Changes {@code count} random entries, each at a random moment of the interval. */
  private void change(List<Node> nodes, int count) {
    long start = System.nanoTime();
    List<Long> moments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      moments.add(start + (long) (random.nextDouble() * interval * 0.9e9));
    }
    Collections.sort(moments);
    for (long at : moments) {
      try {
        sleepUntil(at);
        Node node = nodes.get(random.nextInt(nodes.size()));
        String name = node.name() + "-app-" + (1 + random.nextInt(ENTRIES));
        if (!pending.add(name)) {
          continue; // its change before is not served yet: a new one would hide it
        }
        String token = "bench_change_total " + System.nanoTime() + "\n";
        bodies.put("/" + name, body(name, token));
        node.cycle(); // the entry changes in that node's store now
        long made = System.nanoTime();
        List<Node> workers = nodes.stream().filter(w -> !w.manager() && w != node).toList();
        Change c = new Change(name, token, workers.get(random.nextInt(workers.size())), made);
        served.add(
            CompletableFuture.supplyAsync(() -> awaitServed(c, 3L * interval), watchers)
                .whenComplete((seconds, e) -> pending.remove(c.name())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Seconds from the change until the watcher serves it; -1 when not within {@code wait}. */
  private static double awaitServed(Change c, long waitSeconds) {
    long until = System.nanoTime() + waitSeconds * 1_000_000_000L;
    // what was served when last looked at: only a new payload is decoded, not each look
    Object seen = Optional.empty();
    while (true) {
      Object now = c.watcher().proxy().state().view().snapshot().get(c.name()).map(Served::payload);
      if (!now.equals(seen)
          && ReplicationBench.served(c.watcher().proxy(), c.name()).contains(c.token())) {
        break;
      }
      seen = now;
      if (System.nanoTime() > until) {
        return -1;
      }
      try {
        // a look every 20 ms: at 5 ms the watchers' wake-ups took 5 % of the machine's CPU at 200
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return (System.nanoTime() - c.madeNanos()) / 1e9;
  }

  /** Medians over the measured intervals. */
  private static final class Summary {
    final double wall;
    final double cpu;
    final long requests;
    final long handshakes;
    final long unchangedBytes;
    final int unchangedCount;
    final double served;
    final int changes;
    final int lost;

    /** {@code tail}: an interval after those measured, for the changes of their last one. */
    Summary(List<Tick> ticks, Tick tail, Tick quiet) {
      wall = median(ticks.stream().map(Tick::wall).toList());
      cpu = median(ticks.stream().map(Tick::cpu).toList());
      requests = Math.round(median(ticks.stream().map(t -> (double) t.requests()).toList()));
      handshakes = Math.round(median(ticks.stream().map(t -> (double) t.handshakes()).toList()));
      List<Double> unchanged = new ArrayList<>();
      for (PeerReport p : quiet.report().peers()) {
        if (p.error().isEmpty() && p.entriesSent() + p.entriesReceived() + p.deleted() == 0) {
          unchanged.add((double) (p.bytesSent() + p.bytesReceived()));
        }
      }
      unchangedCount = unchanged.size();
      unchangedBytes = unchanged.isEmpty() ? -1 : Math.round(median(unchanged));
      List<Tick> withTail = new ArrayList<>(ticks);
      withTail.add(tail);
      List<Double> all = withTail.stream().flatMap(t -> t.served().stream()).toList();
      served = all.isEmpty() ? -1 : median(all);
      lost = withTail.stream().mapToInt(Tick::lost).sum();
      changes = all.size() + lost;
    }

    private static double median(List<Double> values) {
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }
  }

  /**
   * Puts every store into the state replication converges to, without the first copy: each node's
   * cycle writes its own folder (entries, then {@code .alive}), which is then kept in every other
   * node's store as an exchange would have left it: the same bytes and mtimes, entries before
   * {@code .alive}, through {@link Store#keep} so that each store serves them and knows the
   * folder's generation. The first copy is thus not measured.
   */
  private static void seed(List<Node> nodes) throws Exception {
    long t0 = System.nanoTime();
    cycleAll(nodes);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Node x : nodes) {
        done.add(pool.submit(() -> copyToAll(x, nodes)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    System.out.printf(
        "seeded: %d folders in each of %d stores, %.0f s%n",
        nodes.size() - 1, nodes.size(), (System.nanoTime() - t0) / 1e9);
  }

  /** Keeps node {@code x}'s own folder in every other node's store, entries first. */
  private static Void copyToAll(Node x, List<Node> nodes) throws Exception {
    x.cycle(); // confirms its folder now: the copies are not older than the seeding
    // n1 in its own JVM: its folder read from its store's files
    Path root = x.remote() != null ? x.remote().sharedRoot() : x.proxy().store().sharedRoot();
    List<ScaleNode.Kept> folder = ScaleNode.folder(root, x.name());
    for (Node y : nodes) {
      if (y == x) {
        continue;
      }
      if (y.remote() != null) {
        y.remote().call("keep " + x.name() + " " + root);
      } else {
        ScaleNode.keep(y.proxy().store(), x.name(), folder);
      }
    }
    return null;
  }

  /** Every node serves every node's entries, and n1's last round had no failed exchange. */
  private static boolean converged(List<Node> nodes, Tick last) {
    int want = nodes.size() * ENTRIES;
    return last.report().peers().stream().allMatch(p -> p.error().isEmpty())
        && nodes.stream().allMatch(x -> x.served() == want);
  }

  private static String coverage(List<Node> nodes) {
    long served = nodes.stream().mapToLong(Node::served).sum();
    return String.format(
        "%.1f %% of entries served across nodes",
        100.0 * served / ((long) nodes.size() * nodes.size() * ENTRIES));
  }

  /**
   * Each node's cycle of this interval, node i of n at i/n of it: the nodes of a cluster run their
   * cycles on their own schedules, each on its own machine; here they share 2 cores, so that all of
   * them at once would hold up whatever runs beside them.
   */
  private List<Future<?>> spreadCycles(List<Node> nodes) {
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      long delay = (long) (i * interval * 1e9 / nodes.size());
      done.add(cycler.schedule(node::cycle, delay, TimeUnit.NANOSECONDS));
    }
    return done;
  }

  private static void cycleAll(List<Node> nodes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Node node : nodes) {
        done.add(pool.submit(node::cycle));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Starts node {@code name} with its SFTP server on {@code port} (0: a free one, another when it
   * was taken meanwhile) and counts what the server receives; returns its address.
   */
  private String start(
      Path dir, String name, int port, List<String> peers, List<Node> into, WireCounters wire)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      int p = port;
      while (p <= 0 || port <= 0 && reserved.contains(p)) { // not a manager's port, chosen before
        p = ReplicationBench.freePort();
      }
      Proxy proxy = proxy(dir, name, p, peers);
      try {
        wire.watch(proxy);
      } catch (java.util.NoSuchElementException e) { // no SFTP server: the port was taken
        proxy.close();
        if (port > 0 || attempt == 5) {
          throw new IllegalStateException(name + ": no SFTP server on port " + p, e);
        }
        continue;
      }
      into.add(new Node(name, proxy, peers.size() > 0));
      return "127.0.0.1:" + p;
    }
  }

  /** n1 in a JVM of its own ({@link ScaleNode}), its bodies served here as every node's are. */
  private Node remote(Path dir, int port, List<String> peers) throws Exception {
    serveBodies("n1");
    List<String> options =
        new ArrayList<>(
            List.of("-Xmx2g", "-Xss512k", "-DbenchSshpass=" + ReplicationBench.SSHPASS));
    String maxAge = System.getProperty("maxAge", "");
    if (!maxAge.isEmpty()) {
      options.add("-DmaxAge=" + maxAge);
    }
    ScaleNode.Remote remote =
        new ScaleNode.Remote(
            options,
            List.of(
                dir.toString(),
                "n1",
                Integer.toString(port),
                String.join(",", peers),
                Integer.toString(http.getAddress().getPort()),
                Integer.toString(interval)));
    remote.sharedRoot(); // up, its SFTP server listening
    return new Node("n1", null, true, remote);
  }

  private Proxy proxy(Path dir, String node, int port, List<String> peers) {
    serveBodies(node);
    return ScaleNode.proxy(
        dir, node, port, String.join(",", peers), http.getAddress().getPort(), interval);
  }

  /** Node {@code node}'s 5 containers' bodies, each with its first token. */
  private void serveBodies(String node) {
    for (int i = 1; i <= ENTRIES; i++) {
      String name = node + "-app-" + i;
      bodies.put("/" + name, body(name, "bench_change_total 0\n"));
    }
  }

  /** About 10 KB of exposition, {@code token} its first sample. */
  private static byte[] body(String name, String token) {
    StringBuilder b = new StringBuilder("# TYPE bench_change_total counter\n").append(token);
    b.append("# TYPE bench_requests_total counter\n");
    for (int line = 0; b.length() < BODY_BYTES; line++) {
      b.append("bench_requests_total{app=\"").append(name).append("\",path=\"/api/v1/resource/");
      b.append(line).append("\"} ").append(line * 7).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
