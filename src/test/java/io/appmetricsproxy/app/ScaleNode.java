package io.appmetricsproxy.app;

import io.appmetricsproxy.discover.Target;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.EntryFile;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Store;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Manager n1 of {@link ScaleBench} in a JVM of its own ({@code SPLIT=1}), as a manager of a cluster
 * runs in its own process: its threads are its own, and each of its thread hand-offs costs what it
 * costs in a JVM of that many threads (in one JVM of 200 nodes, 4,500 threads, a park and unpark
 * cost about 1.7 times what they cost among 1,200; {@code bench/handoff.sh}). The bench drives it
 * through its standard input, one command per line ({@code <id> <command> [args]}), each run on a
 * thread of its own, and reads one answer line per command on its standard output ({@code @<id>
 * <answer>}); anything else there is the node's own output.
 */
public final class ScaleNode {
  private static final int ENTRIES = 5;
  private static final char SEP = '\u001f';

  private final Proxy proxy;
  private final BufferedWriter out =
      new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));

  private ScaleNode(Proxy proxy) {
    this.proxy = proxy;
  }

  /** Arguments: store dir, node name, replication port, peers, the bodies' HTTP port, interval. */
  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    Path dir = Path.of(args[0]);
    String node = args[1];
    int port = Integer.parseInt(args[2]);
    String peers = args[3];
    int httpPort = Integer.parseInt(args[4]);
    int interval = Integer.parseInt(args[5]);
    Proxy proxy = proxy(dir, node, port, peers, httpPort, interval);
    ScaleNode self = new ScaleNode(proxy);
    self.answer("0", proxy.store().sharedRoot().toString());
    self.serve();
  }

  /**
   * Node {@code node} of the bench: its store under {@code dir}, its SFTP server on {@code port},
   * its 5 containers' bodies on the bench's HTTP server at {@code httpPort}, MAX_AGE from {@code
   * -DmaxAge} where set.
   */
  static Proxy proxy(Path dir, String node, int port, String peers, int httpPort, int interval) {
    List<Target> targets = new ArrayList<>();
    for (int i = 1; i <= ENTRIES; i++) {
      String name = node + "-app-" + i;
      targets.add(new Target(name, name, name, "127.0.0.1", List.of(httpPort), "/" + name));
    }
    String maxAge = System.getProperty("maxAge", "");
    return ReplicationBench.proxy(
        dir,
        node,
        interval,
        port,
        peers,
        targets,
        maxAge.isEmpty() ? Map.of() : Map.of("MAX_AGE", maxAge));
  }

  private void serve() throws IOException {
    ExecutorService pool = Executors.newCachedThreadPool();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] words = line.split(" ", 3);
      if (words[1].equals("quit")) {
        break;
      }
      pool.submit(
          () -> {
            String answer;
            try {
              answer = run(words[1], words.length > 2 ? words[2] : "");
            } catch (Exception | Error e) {
              answer = "!" + e;
            }
            answer(words[0], answer);
          });
    }
    proxy.close();
    System.exit(0);
  }

  private String run(String command, String arg) throws Exception {
    return switch (command) {
      case "cycle" -> {
        proxy.cycle().run();
        yield "ok";
      }
      case "served" -> Integer.toString(proxy.state().view().snapshot().size());
      case "failed" -> Integer.toString(failedScrapes(proxy));
      case "generation" -> generation(proxy).orElse("-");
      case "keep" -> {
        String[] a = arg.split(" ", 2);
        keep(proxy.store(), a[0], folder(Path.of(a[1]), a[0]));
        yield "ok";
      }
      case "round" -> round();
      case "jit" -> Long.toString(compileMillis());
      default -> throw new IllegalArgumentException("no command " + command);
    };
  }

  /** The scrapes of {@code proxy}'s last cycle that failed. */
  static int failedScrapes(Proxy proxy) {
    return proxy
        .state()
        .lastCycle()
        .map(c -> (int) c.results().stream().filter(r -> !r.ok()).count())
        .orElse(0);
  }

  /** {@code proxy}'s own folder's generation, as its store tells it. */
  static Optional<String> generation(Proxy proxy) {
    Store s = proxy.store();
    return s.ownFolder().flatMap(s::confirmation).map(f -> f.generation());
  }

  /** A file of a node's folder as seeding copies it: its bytes, mtime and decoded entry. */
  record Kept(String file, byte[] bytes, Instant mtime, Optional<Entry> entry) {}

  /**
   * Node {@code own}'s folder as the store under {@code sharedRoot} holds it: entries first, {@code
   * .alive} last, as an exchange writes them (seeding, {@link ScaleBench}).
   */
  static List<Kept> folder(Path sharedRoot, String own) throws IOException {
    Path folder = sharedRoot.resolve(own);
    List<String> files;
    try (var listed = Files.list(folder)) {
      files =
          new ArrayList<>(
              listed.map(f -> f.getFileName().toString()).filter(Layout::entry).sorted().toList());
    }
    files.add(Layout.ALIVE);
    List<Kept> kept = new ArrayList<>();
    for (String file : files) {
      Path f = folder.resolve(file);
      byte[] bytes = Files.readAllBytes(f);
      Optional<Entry> entry =
          Layout.entry(file) ? Optional.of(EntryFile.decode(bytes, true)) : Optional.empty();
      kept.add(new Kept(file, bytes, Files.getLastModifiedTime(f).toInstant(), entry));
    }
    return kept;
  }

  /** Keeps node {@code own}'s {@code folder} in {@code store}, in its order. */
  static void keep(Store store, String own, List<Kept> folder) {
    for (Kept k : folder) {
      store.keep(own, k.file(), k.bytes(), k.entry(), k.mtime());
    }
  }

  /**
   * {@code proxy}'s round as the bench measures it: wall, the CPU of this JVM's replication client
   * threads and the round's own, this JVM's CPU.
   */
  static ScaleBenchRound measure(Proxy proxy) throws InterruptedException {
    WireCounters.ClientCpu cpu = new WireCounters.ClientCpu();
    long jvm = processCpu();
    cpu.start();
    long t0 = System.nanoTime();
    ReplicationReport report = proxy.replication().run();
    double wall = (System.nanoTime() - t0) / 1e9;
    double clientCpu = cpu.stop();
    return new ScaleBenchRound(wall, clientCpu, (processCpu() - jvm) / 1e9, report);
  }

  /** n1's round: wall, its client's CPU, this JVM's CPU, then each peer's figures. */
  private String round() throws InterruptedException {
    ScaleBenchRound r = measure(proxy);
    StringBuilder b = new StringBuilder();
    b.append(r.wall()).append(' ').append(r.cpu()).append(' ').append(r.jvmCpu());
    for (PeerReport p : r.report().peers()) {
      b.append(SEP)
          .append(p.name())
          .append(' ')
          .append(p.address())
          .append(' ')
          .append(p.bytesSent())
          .append(' ')
          .append(p.bytesReceived())
          .append(' ')
          .append(p.entriesSent())
          .append(' ')
          .append(p.entriesReceived())
          .append(' ')
          .append(p.deleted())
          .append(' ')
          .append(
              p.error()
                  .map(e -> Base64.getEncoder().encodeToString(e.getBytes(StandardCharsets.UTF_8)))
                  .orElse("-"));
    }
    return b.toString();
  }

  private synchronized void answer(String id, String answer) {
    try {
      out.write("@" + id + " " + answer.replace('\n', ' ') + "\n");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This JVM's CPU time, in nanoseconds. */
  /** The milliseconds this JVM's JIT compilers have spent so far. */
  static long compileMillis() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The bench's side: n1 started in its own JVM, and its commands. */
  static final class Remote implements AutoCloseable {
    private final Process process;
    private final BufferedWriter commands;
    private final Map<Long, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    Remote(List<String> jvmOptions, List<String> args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ScaleNode.class.getName());
      command.addAll(args);
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      commands =
          new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    if (!line.startsWith("@")) {
                      System.err.println("n1: " + line);
                      continue;
                    }
                    int space = line.indexOf(' ');
                    long id = Long.parseLong(line.substring(1, space));
                    String answer = line.substring(space + 1);
                    CompletableFuture<String> f = id == 0 ? ready : waiting.remove(id);
                    if (answer.startsWith("!")) {
                      f.completeExceptionally(new IllegalStateException("n1: " + answer));
                    } else {
                      f.complete(answer);
                    }
                  }
                } catch (IOException e) {
                  ready.completeExceptionally(e);
                }
                IllegalStateException gone = new IllegalStateException("n1's JVM ended");
                ready.completeExceptionally(gone);
                waiting.values().forEach(f -> f.completeExceptionally(gone));
              },
              "bench-n1-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** Where n1's store keeps its shared folders, once it is up. */
    Path sharedRoot() throws Exception {
      return Path.of(ready.get());
    }

    String call(String command) {
      long id = ids.incrementAndGet();
      CompletableFuture<String> f = new CompletableFuture<>();
      waiting.put(id, f);
      synchronized (commands) {
        try {
          commands.write(id + " " + command + "\n");
          commands.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return f.join();
    }

    /** n1's round as its JVM measured it, and this JVM's CPU meanwhile added to that JVM's. */
    ScaleBenchRound round() {
      long mine = processCpu();
      String[] parts = call("round").split(String.valueOf(SEP));
      double ownCpu = (processCpu() - mine) / 1e9;
      String[] head = parts[0].split(" ");
      List<PeerReport> peers = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        String[] p = parts[i].split(" ");
        Optional<String> error =
            p[7].equals("-")
                ? Optional.empty()
                : Optional.of(new String(Base64.getDecoder().decode(p[7]), StandardCharsets.UTF_8));
        peers.add(
            new PeerReport(
                p[0],
                p[1],
                io.appmetricsproxy.discover.Role.CONFIGURED,
                Instant.now(),
                error.isPresent() ? Optional.empty() : Optional.of(Instant.now()),
                error,
                java.time.Duration.ZERO,
                Long.parseLong(p[2]),
                Long.parseLong(p[3]),
                Integer.parseInt(p[4]),
                Integer.parseInt(p[5]),
                Integer.parseInt(p[6])));
      }
      ReplicationReport report =
          new ReplicationReport(
              Instant.now(),
              io.appmetricsproxy.discover.Role.CONFIGURED,
              true,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              peers);
      return new ScaleBenchRound(
          Double.parseDouble(head[0]),
          Double.parseDouble(head[1]),
          Double.parseDouble(head[2]) + ownCpu,
          report);
    }

    @Override
    public void close() throws InterruptedException {
      synchronized (commands) {
        try {
          commands.write("0 quit\n");
          commands.flush();
        } catch (IOException e) {
          // already gone
        }
      }
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** A round as n1's JVM measured it; {@code jvmCpu}: both JVMs' CPU meanwhile. */
  record ScaleBenchRound(double wall, double cpu, double jvmCpu, ReplicationReport report) {}
}
