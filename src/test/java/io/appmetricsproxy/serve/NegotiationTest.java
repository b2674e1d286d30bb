package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import org.junit.jupiter.api.Test;

class NegotiationTest {
  @Test
  void prometheusAcceptHeaderSelectsOpenMetrics() {
    assertThat(
            Negotiation.format(
                "application/openmetrics-text;version=1.0.0,"
                    + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
                    + "*/*;q=0.1"))
        .isEqualTo(Format.OPENMETRICS);
  }

  @Test
  void theFormatWeightedHighestWins() {
    assertThat(
            Negotiation.format(
                "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5"))
        .isEqualTo(Format.TEXT);
    assertThat(Negotiation.format("application/openmetrics-text;version=0.0.1,text/plain"))
        .isEqualTo(Format.OPENMETRICS);
    assertThat(Negotiation.format("application/openmetrics-text;q=0.2,*/*;q=0.5"))
        .isEqualTo(Format.TEXT);
  }

  @Test
  void anythingElseGetsText() {
    assertThat(Negotiation.format(null)).isEqualTo(Format.TEXT);
    assertThat(Negotiation.format("text/plain;version=0.0.4")).isEqualTo(Format.TEXT);
    assertThat(Negotiation.format("application/openmetrics-text;q=0")).isEqualTo(Format.TEXT);
    assertThat(Negotiation.format("text/html,*/*")).isEqualTo(Format.TEXT);
  }

  @Test
  void prometheusWithNativeHistogramsGetsProtobufAndOpenMetricsWhereThereIsNone() {
    String accept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
            + "application/openmetrics-text;version=1.0.0;q=0.8,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
            + "*/*;q=0.1";
    assertThat(Negotiation.format(accept)).isEqualTo(Format.PROTOBUF);
    assertThat(Negotiation.textFormat(accept)).isEqualTo(Format.OPENMETRICS);
  }

  @Test
  void protobufOnlyAsDelimitedMetricFamiliesWeightedHighest() {
    String proto = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily";
    assertThat(Negotiation.format(proto + ";encoding=delimited;q=0.5,text/plain"))
        .isEqualTo(Format.TEXT);
    assertThat(Negotiation.format(proto + ";encoding=text,text/plain;q=0.1"))
        .isEqualTo(Format.TEXT);
    assertThat(Negotiation.format(proto + ";encoding=compact-text")).isEqualTo(Format.TEXT);
    assertThat(Negotiation.format("application/vnd.google.protobuf;encoding=delimited"))
        .isEqualTo(Format.TEXT);
    assertThat(Negotiation.format(proto + ";encoding=delimited;q=0,*/*")).isEqualTo(Format.TEXT);
    assertThat(Negotiation.format(" " + proto + "; encoding=delimited; q=0.9, text/plain;q=0.9"))
        .isEqualTo(Format.PROTOBUF);
  }

  @Test
  void gzipOnlyWhenAcceptedWithAWeight() {
    assertThat(Negotiation.gzip("gzip")).isTrue();
    assertThat(Negotiation.gzip("deflate, GZIP;q=0.5")).isTrue();
    assertThat(Negotiation.gzip("gzip;q=0")).isFalse();
    assertThat(Negotiation.gzip("identity")).isFalse();
    assertThat(Negotiation.gzip(null)).isFalse();
  }
}
