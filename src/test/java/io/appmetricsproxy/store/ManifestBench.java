package io.appmetricsproxy.store;

import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;

/**
 * What an exchange does with a manifest of N folders, each step alone on one thread: its parse, the
 * join of its folders with this node's into what the peer holds after the exchange ({@code
 * replicate.Exchange}), its format, and its deflate by a kept stream (as the SSH session's zlib,
 * flushed at each packet) at zlib's default level and at the sessions' (3), while the confirmations
 * move as in the rounds (each iteration, a third of the folders confirmed an interval later).
 * Prints microseconds per step and per folder line, for each N. Run by {@code bench/manifest.sh}.
 */
public final class ManifestBench {
  private static final int ITERATIONS = 20_000;

  public static void main(String[] args) {
    String[] sizes = args.length > 0 ? args : new String[] {"50", "200"};
    run(Integer.parseInt(sizes[0]), false); // warm-up
    System.out.println(
        "| folders | bytes | parse | join | format | deflate, level 6 | deflate, level 3 | all (level 3), per line |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (String n : sizes) {
      run(Integer.parseInt(n), true);
    }
  }

  private static void run(int n, boolean print) {
    Manifest[] rounds = new Manifest[3];
    for (int r = 0; r < rounds.length; r++) {
      Map<String, Manifest.Folder> folders = new TreeMap<>();
      for (int i = 1; i <= n; i++) {
        long moved = i % 3 == r ? 10 : 0; // this third confirmed an interval later
        folders.put(
            "n" + i,
            new Manifest.Folder(1_764_600_000L - i % 10 + moved, "1764599" + (100_000 + i) + "12"));
      }
      rounds[r] = new Manifest(folders, Manifest.Takes.GZIPPED_FOLDERS);
    }
    byte[][] bytes = new byte[rounds.length][];
    for (int r = 0; r < rounds.length; r++) {
      bytes[r] = rounds[r].format();
    }
    Object sink = null;
    long t0 = System.nanoTime();
    for (int k = 0; k < ITERATIONS; k++) {
      sink = Manifest.parse(bytes[k % 3]).orElseThrow();
    }
    long t1 = System.nanoTime();
    for (int k = 0; k < ITERATIONS; k++) {
      FolderMap.Builder after = new FolderMap.Builder(n);
      for (FolderMap.Pair p :
          FolderMap.join(rounds[k % 3].byNode(), rounds[(k + 1) % 3].byNode())) {
        after.add(p.node(), p.left().confirmed() > p.right().confirmed() ? p.left() : p.right());
      }
      sink = new Manifest(after.build(), Manifest.Takes.GZIPPED_FOLDERS);
    }
    long t2 = System.nanoTime();
    for (int k = 0; k < ITERATIONS; k++) {
      sink = rounds[k % 3].format();
    }
    long t3 = System.nanoTime();
    // zlib's default level (OpenSSH's), and the one the proxy's sessions use (replicate.SshZlib)
    Deflated atDefault = deflate(bytes, 6);
    Deflated atSessions = deflate(bytes, 3);
    if (print && sink != null) {
      double parse = (t1 - t0) / 1e3 / ITERATIONS;
      double join = (t2 - t1) / 1e3 / ITERATIONS;
      double format = (t3 - t2) / 1e3 / ITERATIONS;
      System.out.printf(
          "| %d | %,d B | %.1f µs | %.1f µs | %.1f µs | %.1f µs, %d B | %.1f µs, %d B | %.3f µs |%n",
          n,
          bytes[0].length,
          parse,
          join,
          format,
          atDefault.micros,
          atDefault.bytes,
          atSessions.micros,
          atSessions.bytes,
          (parse + join + format + atSessions.micros) / n);
    }
  }

  /** Microseconds and bytes per manifest deflated by one kept stream. */
  private record Deflated(double micros, long bytes) {}

  private static Deflated deflate(byte[][] manifests, int level) {
    Deflater deflater = new Deflater(level);
    byte[] out = new byte[1 << 20];
    long bytes = 0;
    long t0 = System.nanoTime();
    for (int k = 0; k < ITERATIONS; k++) {
      deflater.setInput(manifests[k % 3]);
      bytes += deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    }
    long t1 = System.nanoTime();
    deflater.end();
    return new Deflated((t1 - t0) / 1e3 / ITERATIONS, bytes / ITERATIONS);
  }
}
