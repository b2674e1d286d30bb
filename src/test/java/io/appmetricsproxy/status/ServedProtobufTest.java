package io.appmetricsproxy.status;

import static io.appmetricsproxy.exposition.ProtoBodies.delimited;
import static io.appmetricsproxy.exposition.ProtoBodies.family;
import static io.appmetricsproxy.exposition.ProtoBodies.label;
import static io.appmetricsproxy.exposition.ProtoBodies.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Exposition;
import io.appmetricsproxy.exposition.ExpositionParser;
import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Label;
import io.appmetricsproxy.exposition.MetricFamily;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.exposition.ProtoBodies;
import io.appmetricsproxy.exposition.Sample;
import io.appmetricsproxy.store.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protobuf scrapes served to each client, one container's and merged. */
class ServedProtobufTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  private static Entry entry(String node, String container, byte[] body, Format format) {
    return new Entry(node, container + "-id", container, "app", T, Payload.of(body, format));
  }

  @Test
  void oneContainerIsServedAsScrapedToProtobufClientsAndConvertedOnceForTheOthers() {
    byte[] body = ProtoBodies.everyKind();
    Served served = Served.of("app", List.of(entry("n1", "app-1", body, Format.PROTOBUF)));
    assertThat(served.payload(Format.PROTOBUF).toByteArray()).isEqualTo(body);
    Payload om = served.payload(Format.OPENMETRICS);
    assertThat(om.format()).isEqualTo(Format.OPENMETRICS);
    assertThat(new String(om.toByteArray(), StandardCharsets.UTF_8))
        .contains("classic_seconds_bucket{le=\"1.0\"} 5 # {trace_id=\"def\"}")
        .contains(
            "# TYPE native_seconds histogram\n"
                + "native_seconds_bucket{op=\"get\",le=\"+Inf\"} 4\n"
                + "native_seconds_sum{op=\"get\"} 1.5\n"
                + "native_seconds_count{op=\"get\"} 4\n");
    Payload text = served.payload(Format.TEXT);
    assertThat(text.format()).isEqualTo(Format.TEXT);
    assertThat(new String(text.toByteArray(), StandardCharsets.UTF_8))
        .contains("# TYPE requests_total counter\nrequests_total{path=\"/a\"} 17\n")
        .contains("temperature 21.5 1700000000123\n")
        .contains("classic_seconds_bucket{le=\"1.0\"} 5\n")
        .doesNotContain("trace_id")
        .contains("native_seconds_bucket{op=\"get\",le=\"+Inf\"} 4\n");
    assertThat(served.payload(Format.OPENMETRICS)).isSameAs(om);
    assertThat(served.payload(Format.TEXT)).isSameAs(text);
    assertThat(served.payload().nativeOnly()).containsExactly("native_seconds");
  }

  @Test
  void replicasMergeInProtobufWithTheContainerAndNodeOnEveryMetric() {
    byte[] body = ProtoBodies.everyKind();
    Served merged =
        Served.of(
            "app",
            List.of(
                entry("n1", "app-1", body, Format.PROTOBUF),
                entry("n2", "app-2", body, Format.PROTOBUF)));
    Payload payload = merged.payload(Format.PROTOBUF);
    assertThat(payload.format()).isEqualTo(Format.PROTOBUF);
    assertThat(payload.nativeOnly()).containsExactly("native_seconds", "native_seconds");
    assertThat(merged.warnings()).isEmpty();
    Exposition single = ExpositionParser.parse(body, Format.PROTOBUF);
    Exposition all = ExpositionParser.parse(payload.toByteArray(), Format.PROTOBUF);
    assertThat(all.sampleCount()).isEqualTo(2 * single.sampleCount());
    for (MetricFamily f : all.families()) {
      for (Sample s : f.samples()) {
        List<Label> labels = s.labels();
        assertThat(labels.stream().map(Label::name)).contains("container", "node");
      }
    }
    assertThat(new String(merged.payload(Format.TEXT).toByteArray(), StandardCharsets.UTF_8))
        .contains("requests_total{path=\"/a\",container=\"app-2\",node=\"n2\"} 17\n");
  }

  @Test
  void aMetricsOwnContainerLabelIsKeptAndTheSourcesPrefixed() {
    byte[] body =
        delimited(
            family("g", null, 1)
                .message(
                    4,
                    message()
                        .message(1, label("container", "inner"))
                        .message(2, message().fixed64(1, 3))));
    Served merged =
        Served.of(
            "app",
            List.of(
                entry("n1", "a-1", body, Format.PROTOBUF),
                entry("n1", "a-2", body, Format.PROTOBUF)));
    assertThat(new String(merged.payload(Format.TEXT).toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo(
            "# TYPE g gauge\n"
                + "g{container=\"inner\",proxy_container=\"a-1\"} 3\n"
                + "g{container=\"inner\",proxy_container=\"a-2\"} 3\n");
  }

  @Test
  void protobufBesideTextMergesAsTextAndSaysWhatItLeftOut() {
    Served merged =
        Served.of(
            "app",
            List.of(
                entry("n1", "a-1", ProtoBodies.everyKind(), Format.PROTOBUF),
                entry("n1", "a-2", "up 1\n".getBytes(StandardCharsets.UTF_8), Format.TEXT)));
    assertThat(merged.payload().format()).isEqualTo(Format.TEXT);
    assertThat(merged.payload(Format.PROTOBUF)).isSameAs(merged.payload());
    assertThat(merged.warnings())
        .containsExactly(
            "family \"native_seconds\": native histogram alone in source 1, merged as its count, sum"
                + " and +Inf bucket");
    assertThat(new String(merged.payload().toByteArray(), StandardCharsets.UTF_8))
        .contains("both_seconds_bucket{le=\"+Inf\",container=\"a-1\"} 4\n")
        .contains("up{container=\"a-2\"} 1\n");
  }
}
