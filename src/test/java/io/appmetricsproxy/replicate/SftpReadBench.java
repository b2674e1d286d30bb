package io.appmetricsproxy.replicate;

import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.replicate.server.ArrivalListener;
import io.appmetricsproxy.replicate.server.ReplicationServer;
import io.appmetricsproxy.replicate.server.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * How long the replication client's smallest requests take against the replication server, both
 * real, over loopback: opening a session (TCP, key exchange, password, SFTP channel), a {@code
 * stat} and the read of a 20-byte file as an exchange reads a node's {@code .alive}. Prints the
 * median and the maximum of each over {@code rounds} sessions. Run by {@code bench/sftp-read.sh}.
 */
public final class SftpReadBench {
  private static final String USER = "bench";
  private static final String PASSWORD = "bench-" + System.nanoTime();

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path work = Files.createTempDirectory("amp-sftp-bench");
    Path root = work.resolve("store");
    Files.createDirectories(root.resolve("self"));
    Files.createDirectories(root.resolve("peer"));
    Files.writeString(root.resolve(".node"), "self\n");
    Files.writeString(root.resolve("peer/.alive"), "generation 1234567\n");
    ServerSettings settings =
        new ServerSettings(
            "127.0.0.1",
            0,
            USER,
            PASSWORD,
            work.resolve("keys/host_key"),
            root,
            () -> Optional.of("self"));
    ArrivalListener ignored =
        new ArrivalListener() {
          @Override
          public void arrived(String node, String file) {}

          @Override
          public void removed(String node, String file) {}

          @Override
          public void touched(String node, String file) {}

          @Override
          public void manifest(byte[] bytes) {} // taken as it is: the client's part is measured
        };
    try (ReplicationServer server = ReplicationServer.start(settings, ignored)) {
      SshConnector connector =
          new SshConnector(
              new PinnedHostKeys(work.resolve("ssh/known_peers")),
              USER,
              PASSWORD,
              Duration.ofSeconds(10));
      Peer peer = new Peer("bench-peer", "bench-peer", "127.0.0.1", server.port(), Role.MANAGER);
      double[] open = new double[rounds];
      double[] stat = new double[rounds];
      double[] read = new double[rounds];
      for (int i = -5; i < rounds; i++) { // 5 rounds of warm-up
        long t0 = System.nanoTime();
        try (SftpRemote remote = connector.open(peer)) {
          long t1 = System.nanoTime();
          remote.stat("peer", ".alive").orElseThrow();
          long t2 = System.nanoTime();
          remote.read("peer", ".alive", 1024);
          long t3 = System.nanoTime();
          if (i >= 0) {
            open[i] = (t1 - t0) / 1e6;
            stat[i] = (t2 - t1) / 1e6;
            read[i] = (t3 - t2) / 1e6;
          }
        }
      }
      System.out.println("| request | median | max |");
      System.out.println("|---|---|---|");
      row("open (TCP, key exchange, password, SFTP channel)", open);
      row("stat of .alive", stat);
      row("read of .alive (20 bytes)", read);
      exchanges(connector, peer, root, rounds * 20);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * What an exchange with nothing to move does on a kept session, a 200-folder manifest read and
   * one written, by JSch's channel alone and by the pipeline ({@link SftpPipeline}), turn about on
   * two sessions: wall time, and the CPU time of the whole JVM (client and server) per exchange.
   */
  private static void exchanges(SshConnector connector, Peer peer, Path root, int count)
      throws Exception {
    java.util.Map<String, io.appmetricsproxy.store.Manifest.Folder> folders =
        new java.util.TreeMap<>();
    for (int i = 0; i < 200; i++) {
      folders.put(
          "n" + i, new io.appmetricsproxy.store.Manifest.Folder(1_764_600_000L - i, "" + i));
    }
    byte[] manifest =
        new io.appmetricsproxy.store.Manifest(
                folders, io.appmetricsproxy.store.Manifest.Takes.GZIPPED_FOLDERS)
            .format();
    Files.write(root.resolve(".manifest"), manifest);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (SftpRemote alone = connector.open(peer, false);
        SftpRemote piped = connector.open(peer, true)) {
      SftpRemote[] remotes = {alone, piped};
      double[][] wall = new double[2][count];
      double[] cpu = new double[2];
      for (int i = -count / 10; i < count; i++) {
        for (int k = 0; k < 2; k++) {
          long c0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          remotes[k].manifest().orElseThrow();
          remotes[k].writeManifest(manifest);
          long t1 = System.nanoTime();
          if (i >= 0) {
            wall[k][i] = (t1 - t0) / 1e6;
            cpu[k] += (os.getProcessCpuTime() - c0) / 1e6;
          }
        }
      }
      System.out.printf(
          "%n%d exchanges each without change (%d-byte manifest read, then written), turn about:%n",
          count, manifest.length);
      System.out.println("| channel | wall median | wall max | CPU per exchange (JVM) |");
      System.out.println("|---|---|---|---|");
      String[] names = {"JSch's alone", "pipeline"};
      for (int k = 0; k < 2; k++) {
        double[] sorted = wall[k].clone();
        Arrays.sort(sorted);
        System.out.printf(
            "| %s | %.2f ms | %.2f ms | %.2f ms |%n",
            names[k], sorted[count / 2], sorted[count - 1], cpu[k] / count);
      }
    }
  }

  private static void row(String what, double[] millis) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    System.out.printf("| %s | %.1f ms | %.1f ms |%n", what, median, sorted[sorted.length - 1]);
  }
}
