package io.appmetricsproxy.exposition;

import io.appmetricsproxy.scrape.BodyCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Parse-and-check throughput in MB/s (per second of the process' CPU time, and of wall clock) on
 * about 10 MB of the node exporter's real output, copied with a distinct name prefix per copy; run
 * by bench/parse.sh.
 */
public final class ParseBench {

  private static final int TARGET_BYTES = 10_000_000;
  private static final long RUN_NANOS = 3_000_000_000L;

  /** The process' CPU time (GC and compiler threads included), less hurt by a busy machine. */
  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private ParseBench() {}

  public static void main(String[] args) throws IOException {
    byte[] body = replicated(fixture());
    System.out.printf("body: %.1f MB of node exporter output (text format)%n", body.length / 1e6);
    measure("parse", body, b -> ExpositionParser.parse(b, Format.TEXT));
    measure(
        "scrape check (parse, gzip, digest)",
        body,
        b -> BodyCheck.check(b, Format.TEXT.contentType()));
  }

  private static void measure(String what, byte[] body, Consumer<byte[]> step) {
    for (int i = 0; i < 5; i++) {
      step.accept(body); // warm-up
    }
    double[] rates = new double[5];
    double[] cpuRates = new double[5];
    for (int r = 0; r < rates.length; r++) {
      long start = System.nanoTime();
      long cpuStart = CPU.getProcessCpuTime();
      int n = 0;
      while (System.nanoTime() - start < RUN_NANOS) {
        step.accept(body);
        n++;
      }
      rates[r] = (double) body.length * n / 1e6 / ((System.nanoTime() - start) / 1e9);
      cpuRates[r] = (double) body.length * n / 1e6 / ((CPU.getProcessCpuTime() - cpuStart) / 1e9);
    }
    Arrays.sort(rates);
    Arrays.sort(cpuRates);
    System.out.printf(
        "%s: %.1f MB/s per CPU second (median of 5 runs of 3 s; min %.1f, max %.1f);"
            + " wall clock %.1f MB/s (min %.1f, max %.1f)%n",
        what, cpuRates[2], cpuRates[0], cpuRates[4], rates[2], rates[0], rates[4]);
  }

  private static String fixture() throws IOException {
    try (InputStream in = ParseBench.class.getResourceAsStream("/exposition/node-exporter.prom")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Copies of the body until 10 MB, each metric name prefixed with "rN_" so no series repeats. */
  static byte[] replicated(String body) {
    StringBuilder out = new StringBuilder(TARGET_BYTES + body.length() * 2);
    for (int copy = 0; out.length() < TARGET_BYTES; copy++) {
      String prefix = "r" + copy + "_";
      for (String line : body.split("\n")) {
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
          out.append(line, 0, 7).append(prefix).append(line, 7, line.length());
        } else if (!line.isEmpty() && line.charAt(0) != '#') {
          out.append(prefix).append(line);
        } else {
          out.append(line);
        }
        out.append('\n');
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
