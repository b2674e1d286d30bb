package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a manager spends to send K changed entries to each of its peers, on one thread, with the
 * entries as they are (manifest version 2) and gzipped once for all peers (version 3): the bundle
 * (and its gzip), the upload's bytes, and their deflate by each peer's kept session stream at the
 * sessions' level (3, flushed at each packet of 32 KB), which has sent that peer's uploads before;
 * then what a peer spends on one upload: its session's inflate of what came on the wire, and the
 * split (inflating the gzipped entries). The entries are the scale bench's (about 10 KB of
 * exposition, {@code bench/replication-scale.sh}) with an entry file's header, their samples
 * changed in each round. Prints, for each K, microseconds per peer and bytes on the wire per peer.
 * Run by {@code bench/bundle.sh}.
 */
public final class BundleBench {
  private static final int PEERS = 199;
  private static final int ROUNDS = 40;
  private static final long NOW = 1_780_000_000L;

  public static void main(String[] args) {
    String[] sizes = args.length > 0 ? args : new String[] {"1", "4", "16"};
    for (int i = 0; i < 3; i++) {
      for (boolean gzipped : new boolean[] {false, true}) {
        run(4, gzipped, false); // warm-up
      }
    }
    System.out.println(
        "| changed entries per upload | form | bundle, per peer | session deflate, per peer | on the wire, per peer | a peer's session inflate | a peer's split |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String k : sizes) {
      for (boolean gzipped : new boolean[] {false, true}) {
        run(Integer.parseInt(k), gzipped, true);
      }
    }
  }

  private static void run(int changed, boolean gzipped, boolean print) {
    SshZlib[] sessions = new SshZlib[PEERS];
    for (int p = 0; p < PEERS; p++) {
      sessions[p] = new SshZlib();
      sessions[p].init(com.jcraft.jsch.Compression.DEFLATER, 3);
    }
    SshZlib peer = new SshZlib(); // the receiving end of the first peer's session
    peer.init(com.jcraft.jsch.Compression.INFLATER, 3);
    long bundleNanos = 0;
    long deflateNanos = 0;
    long inflateNanos = 0;
    long splitNanos = 0;
    long wire = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long t0 = System.nanoTime();
      List<Bundle.Folder> folders = new ArrayList<>();
      for (int i = 0; i < changed; i++) {
        String node = "n" + (10 + (r * changed + i) % 190);
        byte[] entry = entry(node, r);
        folders.add(
            new Bundle.Folder(
                node,
                NOW + r * 10L,
                Long.toString((NOW + r * 10L) * 1000),
                List.of(Bundle.File.of("c0.entry", new FileStat(entry.length, NOW + r), entry))));
      }
      byte[] manifest = manifest(r);
      byte[] upload = Bundle.upload(manifest, folders, gzipped);
      long t1 = System.nanoTime();
      List<byte[]> first = new ArrayList<>();
      wire += SessionWrites.send(sessions[0], upload, first);
      for (int p = 1; p < PEERS; p++) {
        wire += SessionWrites.send(sessions[p], upload, null);
      }
      long t2 = System.nanoTime();
      for (byte[] packet : first) {
        peer.uncompress(packet, 0, new int[] {packet.length});
      }
      long t3 = System.nanoTime();
      Bundle.split(upload);
      long t4 = System.nanoTime();
      bundleNanos += t1 - t0;
      deflateNanos += t2 - t1;
      inflateNanos += t3 - t2;
      splitNanos += t4 - t3;
    }
    if (print) {
      System.out.printf(
          "| %d | %s | %.1f µs | %.1f µs | %,d B | %.1f µs | %.1f µs |%n",
          changed,
          gzipped ? "gzipped once (version 3)" : "as they are (version 2)",
          bundleNanos / 1e3 / ROUNDS / PEERS,
          deflateNanos / 1e3 / ROUNDS / PEERS,
          wire / ROUNDS / PEERS,
          inflateNanos / 1e3 / ROUNDS,
          splitNanos / 1e3 / ROUNDS);
    }
  }

  /** A manifest of 200 folders, as a client writes it, confirmed in round {@code r}. */
  private static byte[] manifest(int r) {
    Map<String, Manifest.Folder> f = new TreeMap<>();
    for (int i = 1; i <= 200; i++) {
      long confirmed = NOW + r * 10L - i % 10;
      f.put("n" + i, new Manifest.Folder(confirmed, Long.toString((NOW - i) * 1000 + i)));
    }
    return new Manifest(f).format();
  }

  /** An entry file of the scale bench's exposition, its samples as of round {@code r}. */
  private static byte[] entry(String node, int r) {
    StringBuilder b = new StringBuilder("app-metrics-proxy-entry 1\n");
    b.append("node: ").append(node).append("\ncontainer-id: c0").append(node).append('\n');
    b.append("container: app.1.").append(node).append("\nname: app-").append(node).append('\n');
    b.append("scraped-at: 2026-06-01T00:00:").append(10 + r % 50).append("Z\nformat: TEXT\n\n");
    b.append("# TYPE bench_change_total counter\nbench_change_total ").append(r).append('\n');
    b.append("# TYPE bench_requests_total counter\n");
    for (int line = 0; b.length() < 10_000; line++) {
      b.append("bench_requests_total{app=\"app-")
          .append(node)
          .append("\",path=\"/api/v1/resource/");
      b.append(line).append("\"} ").append(line * 7 + r).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
