package io.appmetricsproxy.testing.nhapp;

import io.prometheus.metrics.config.ExemplarsProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.util.List;

/**
 * A client_java 1.x application with each kind of histogram and a counter with exemplars, all
 * observed once at start and constant after, served at {@code /metrics} on the port of its first
 * argument: client_java answers protobuf (native histograms) to a Prometheus that asks for it,
 * OpenMetrics or text to the others. It runs in a container of its own image (see {@code
 * testing/JavaImage}), so it uses client_java alone.
 */
public final class NativeHistogramsApp {
  /** Native buckets only: Prometheus gets it in protobuf alone. */
  public static final String NATIVE = "nh_native_seconds";

  /** Classic buckets only ({@link #BOUNDS}), with an exemplar in the bucket of {@link #TRACED}. */
  public static final String CLASSIC = "nh_classic_seconds";

  /** Both forms: native in protobuf (to a Prometheus with native histograms), classic in text. */
  public static final String BOTH = "nh_both_seconds";

  /** A counter with one exemplar per path, {@link #trace(String)}. */
  public static final String REQUESTS = "nh_requests_total";

  /** The classic histograms' upper bounds. */
  public static final List<Double> BOUNDS = List.of(0.5, 1.0, 2.5, 5.0);

  /** Observed by each histogram: i / 8 s for i = 1..40 (exact in binary, so is their sum). */
  public static final List<Double> OBSERVATIONS =
      java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(i -> i / 8.0).toList();

  /** The observation the classic histogram records with an exemplar. */
  public static final double TRACED = 0.75;

  /**
   * The counter's paths: each counts {@link #EXEMPLAR_AMOUNT} with its exemplar, then its index.
   */
  public static final List<String> PATHS = List.of("/a", "/b", "/c");

  /** What each path counts with its exemplar. */
  public static final double EXEMPLAR_AMOUNT = 2;

  private NativeHistogramsApp() {}

  /** The exemplar labels of {@code path}: trace_id and span_id. */
  public static Labels trace(String path) {
    int n = PATHS.indexOf(path) + 1;
    return Labels.of(
        "trace_id", "4bf92f3577b34da6a3ce929d0e0e473" + n, "span_id", "00f067aa0ba902b" + n);
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = Integer.parseInt(args[0]);
    // exemplars kept for a year (client_java drops them after 70 s by default): the scrapes agree
    PrometheusProperties properties =
        PrometheusProperties.builder()
            .exemplarProperties(
                ExemplarsProperties.builder()
                    .minRetentionPeriodSeconds(1)
                    .maxRetentionPeriodSeconds(365 * 86_400)
                    .build())
            .build();
    PrometheusRegistry registry = new PrometheusRegistry();
    Histogram nativeOnly =
        Histogram.builder(properties)
            .name(NATIVE)
            .help("Native buckets only.")
            .nativeOnly()
            .withoutExemplars()
            .register(registry);
    Histogram classicOnly =
        Histogram.builder(properties)
            .name(CLASSIC)
            .help("Classic buckets only.")
            .classicOnly()
            .classicUpperBounds(BOUNDS.stream().mapToDouble(Double::doubleValue).toArray())
            .register(registry);
    Histogram both =
        Histogram.builder(properties)
            .name(BOTH)
            .help("Native and classic buckets.")
            .classicUpperBounds(BOUNDS.stream().mapToDouble(Double::doubleValue).toArray())
            .withoutExemplars()
            .register(registry);
    Counter requests =
        Counter.builder(properties)
            .name(REQUESTS)
            .help("Requests by path.")
            .labelNames("path")
            .register(registry);
    classicOnly.observeWithExemplar(TRACED, trace(PATHS.get(0)));
    for (double value : OBSERVATIONS) {
      nativeOnly.observe(value);
      if (value != TRACED) {
        classicOnly.observe(value);
      }
      both.observe(value);
    }
    for (int i = 0; i < PATHS.size(); i++) {
      requests.labelValues(PATHS.get(i)).incWithExemplar(EXEMPLAR_AMOUNT, trace(PATHS.get(i)));
      requests.labelValues(PATHS.get(i)).inc(i);
    }
    HTTPServer.builder().port(port).registry(registry).buildAndStart();
    System.out.println("serving /metrics on port " + port);
    Thread.currentThread().join(); // the server's threads are daemons: main keeps the JVM up
  }
}
