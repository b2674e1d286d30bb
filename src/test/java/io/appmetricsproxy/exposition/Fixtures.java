package io.appmetricsproxy.exposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Short builders of expected families and samples for the table-driven tests. */
final class Fixtures {

  private Fixtures() {}

  /**
   * What Prometheus stores from an exposition, in order-free form: each sample's series (labels
   * sorted), value, timestamp and exemplar, and the metadata of each family that has any.
   */
  static List<String> stored(Exposition exposition) {
    List<String> stored = new java.util.ArrayList<>();
    for (MetricFamily family : exposition.families()) {
      String type = family.type() == MetricType.UNTYPED ? "unknown" : family.type().keyword();
      if (family.help() != null || family.unit() != null || !type.equals("unknown")) {
        stored.add(
            "metadata " + family.name() + " " + type + " " + family.help() + " " + family.unit());
      }
      for (Sample sample : family.samples()) {
        List<String> labels = new java.util.ArrayList<>();
        sample.labels().forEach(l -> labels.add(l.name() + "=" + l.value()));
        java.util.Collections.sort(labels);
        stored.add(
            sample.name()
                + labels
                + " "
                + sample.value()
                + " "
                + sample.timestamp()
                + " "
                + sample.exemplar());
      }
    }
    java.util.Collections.sort(stored);
    return stored;
  }

  static MetricFamily family(String name, MetricType type, String help, Sample... samples) {
    return new MetricFamily(name, type, help, null, List.of(samples));
  }

  static MetricFamily family(
      String name, MetricType type, String help, String unit, Sample... samples) {
    return new MetricFamily(name, type, help, unit, List.of(samples));
  }

  /** A sample without timestamp or exemplar; labels as name, value pairs. */
  static Sample sample(String name, String value, String... labelPairs) {
    return new Sample(name, labels(labelPairs), value, null, null);
  }

  static Sample sample(
      String name, List<Label> labels, String value, String timestamp, String exemplar) {
    return new Sample(name, labels, value, timestamp, exemplar);
  }

  static List<Label> labels(String... pairs) {
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.add(new Label(pairs[i], pairs[i + 1]));
    }
    return labels;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Bytes from a string whose chars are all below 0x100, each becoming one byte (for invalid
   * UTF-8).
   */
  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * A node_exporter-like text body: HELP and TYPE for each family, counters, gauges, a histogram.
   */
  static final String NODE_EXPORTER =
      """
            # HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.
            # TYPE go_gc_duration_seconds summary
            go_gc_duration_seconds{quantile="0"} 2.1931e-05
            go_gc_duration_seconds{quantile="0.25"} 3.3424e-05
            go_gc_duration_seconds{quantile="0.5"} 4.3652e-05
            go_gc_duration_seconds{quantile="1"} 0.000523164
            go_gc_duration_seconds_sum 0.045872519
            go_gc_duration_seconds_count 1077
            # HELP go_goroutines Number of goroutines that currently exist.
            # TYPE go_goroutines gauge
            go_goroutines 8
            # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
            # TYPE node_cpu_seconds_total counter
            node_cpu_seconds_total{cpu="0",mode="idle"} 2.1474836e+06
            node_cpu_seconds_total{cpu="0",mode="iowait"} 1187.54
            node_cpu_seconds_total{cpu="0",mode="user"} 15330.43
            node_cpu_seconds_total{cpu="1",mode="idle"} 2.14757e+06
            # HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.
            # TYPE node_filesystem_avail_bytes gauge
            node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 3.3451577344e+10
            node_filesystem_avail_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run/user/1000"} 1.6752e+08
            # HELP node_network_info Non-numeric data from /sys/class/net/<iface>, value is always 1.
            # TYPE node_network_info gauge
            node_network_info{address="00:00:00:00:00:00",broadcast="",device="lo",operstate="unknown"} 1
            # HELP node_scrape_collector_duration_seconds node_exporter: Duration of a collector scrape.
            # TYPE node_scrape_collector_duration_seconds gauge
            node_scrape_collector_duration_seconds{collector="cpu"} 0.000334
            # HELP node_uname_info Labeled system information as provided by the uname system call.
            # TYPE node_uname_info gauge
            node_uname_info{domainname="(none)",machine="x86_64",nodename="host",release="6.1.0",sysname="Linux",version="#1 SMP PREEMPT_DYNAMIC Debian 6.1.94-1 (2024-06-21)"} 1
            # HELP prometheus_http_request_duration_seconds Histogram of latencies for HTTP requests.
            # TYPE prometheus_http_request_duration_seconds histogram
            prometheus_http_request_duration_seconds_bucket{handler="/metrics",le="0.1"} 2
            prometheus_http_request_duration_seconds_bucket{handler="/metrics",le="0.2"} 2
            prometheus_http_request_duration_seconds_bucket{handler="/metrics",le="+Inf"} 3
            prometheus_http_request_duration_seconds_sum{handler="/metrics"} 0.416
            prometheus_http_request_duration_seconds_count{handler="/metrics"} 3
            # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
            # TYPE process_start_time_seconds gauge
            process_start_time_seconds 1.71e+09
            # HELP promhttp_metric_handler_errors_total Total number of internal errors encountered by the promhttp metric handler.
            # TYPE promhttp_metric_handler_errors_total counter
            promhttp_metric_handler_errors_total{cause="encoding"} 0
            promhttp_metric_handler_errors_total{cause="gathering"} 0
            """;

  /**
   * A client_java-like OpenMetrics body: units, _created, exemplars, info, stateset, timestamps.
   */
  static final String CLIENT_JAVA =
      """
            # TYPE http_request_duration_seconds histogram
            # UNIT http_request_duration_seconds seconds
            # HELP http_request_duration_seconds Duration of HTTP requests.
            http_request_duration_seconds_bucket{path="/hello",le="0.005"} 0
            http_request_duration_seconds_bucket{path="/hello",le="0.1"} 4 # {span_id="a1b2",trace_id="4bf92f35"} 0.067 1700000000.123
            http_request_duration_seconds_bucket{path="/hello",le="+Inf"} 5
            http_request_duration_seconds_count{path="/hello"} 5
            http_request_duration_seconds_sum{path="/hello"} 0.3712
            http_request_duration_seconds_created{path="/hello"} 1.7e9
            # TYPE jvm_runtime info
            # HELP jvm_runtime JVM runtime info
            jvm_runtime_info{runtime="OpenJDK Runtime Environment",vendor="Debian",version="17.0.15+6-Debian-1deb12u1"} 1
            # TYPE jvm_memory_used_bytes gauge
            # UNIT jvm_memory_used_bytes bytes
            # HELP jvm_memory_used_bytes Used bytes of a given JVM memory area.
            jvm_memory_used_bytes{area="heap"} 5.0331648E7
            jvm_memory_used_bytes{area="nonheap"} 4.2401056E7
            # TYPE requests counter
            # HELP requests Total requests, by "status".
            requests_total{status="200"} 1027.0 # {trace_id="KOO5S4vxi0o"} 1.0 1700000001
            requests_total{status="500"} 3.0
            requests_created{status="200"} 1.699999e9
            requests_created{status="500"} 1.699999e9
            # TYPE feature_flags stateset
            # HELP feature_flags Feature flags.
            feature_flags{feature_flags="dark_mode"} 1
            feature_flags{feature_flags="beta"} 0
            # TYPE queue_size gaugehistogram
            # HELP queue_size Items waiting.
            queue_size_bucket{le="10.0"} 3
            queue_size_bucket{le="+Inf"} 4 # {job="x"} 12
            queue_size_gcount 4
            queue_size_gsum 23
            # TYPE rpc_latency_seconds summary
            # UNIT rpc_latency_seconds seconds
            # HELP rpc_latency_seconds RPC latency.
            rpc_latency_seconds{quantile="0.5"} 0.05 1700000002.5
            rpc_latency_seconds{quantile="0.99"} 0.2 1700000002.5
            rpc_latency_seconds_sum 17.5 1700000002.5
            rpc_latency_seconds_count 100 1700000002.5
            # TYPE mystery unknown
            # HELP mystery Something unknown.
            mystery{kind="a"} 42
            # EOF
            """;
}
