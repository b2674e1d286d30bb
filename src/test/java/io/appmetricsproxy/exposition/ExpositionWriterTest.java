package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.Fixtures.family;
import static io.appmetricsproxy.exposition.Fixtures.sample;
import static io.appmetricsproxy.exposition.Fixtures.string;
import static io.appmetricsproxy.exposition.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExpositionWriterTest {

  static Stream<Arguments> canonical() {
    return Stream.of(
        Arguments.of("empty text", Format.TEXT, "", Format.TEXT, ""),
        Arguments.of(
            "empty OpenMetrics",
            Format.OPENMETRICS,
            "# EOF",
            Format.OPENMETRICS,
            """
                        # EOF
                        """),
        Arguments.of(
            "text normalised (no TYPE line for untyped)",
            Format.TEXT,
            """
                        b  { x = "1" , y="q\\"\\\\\\n",}   2   1395066363000
                        # a comment
                        # TYPE a counter
                        # HELP a Help with \\\\ and \\n and "quotes".
                        a 1
                        b{x="2"} NaN""",
            Format.TEXT,
            """
                        b{x="1",y="q\\"\\\\\\n"} 2 1395066363000
                        b{x="2"} NaN
                        # HELP a Help with \\\\ and \\n and "quotes".
                        # TYPE a counter
                        a 1
                        """),
        Arguments.of(
            "OpenMetrics canonical order of metadata",
            Format.OPENMETRICS,
            """
                        # UNIT c_seconds seconds
                        # HELP c_seconds Help with "quotes" \\\\ \\n.
                        # TYPE c_seconds counter
                        c_seconds_total{a="ü"} 1 2.5 # {t="1"} 1 2.5
                        # EOF
                        """,
            Format.OPENMETRICS,
            """
                        # HELP c_seconds Help with \\"quotes\\" \\\\ \\n.
                        # TYPE c_seconds counter
                        # UNIT c_seconds seconds
                        c_seconds_total{a="ü"} 1 2.5 # {t="1"} 1 2.5
                        # EOF
                        """),
        Arguments.of(
            "counter to text: family and sample names kept",
            Format.OPENMETRICS,
            """
                        # TYPE foo counter
                        # HELP foo Foos.
                        foo_total{a="1"} 3 # {trace_id="x"} 1
                        foo_created{a="1"} 1.7e9
                        # EOF
                        """,
            Format.TEXT,
            """
                        # HELP foo Foos.
                        # TYPE foo counter
                        foo_total{a="1"} 3
                        foo_created{a="1"} 1.7e9
                        """),
        Arguments.of(
            "info and stateset to text gauges",
            Format.OPENMETRICS,
            """
                        # TYPE build info
                        build_info{v="1"} 1
                        # TYPE st stateset
                        st{st="a"} 1
                        # EOF
                        """,
            Format.TEXT,
            """
                        # TYPE build gauge
                        build_info{v="1"} 1
                        # TYPE st gauge
                        st{st="a"} 1
                        """),
        Arguments.of(
            "gaugehistogram to histogram, unknown to untyped, which has no TYPE line",
            Format.OPENMETRICS,
            """
                        # TYPE q gaugehistogram
                        # HELP q Queue.
                        q_bucket{le="+Inf"} 3
                        q_gcount 3
                        q_gsum 4
                        u 1
                        # EOF
                        """,
            Format.TEXT,
            """
                        # HELP q Queue.
                        # TYPE q histogram
                        q_bucket{le="+Inf"} 3
                        q_gcount 3
                        q_gsum 4
                        u 1
                        """),
        Arguments.of(
            "histogram to text: unit dropped, timestamps in ms as Prometheus computes them, a"
                + " sample with a negative one left out",
            Format.OPENMETRICS,
            """
                        # TYPE h_seconds histogram
                        # UNIT h_seconds seconds
                        h_seconds_bucket{le="+Inf"} 1 1520879607.789 # {id="x"} 0.1
                        h_seconds_count 1 1520879607.7899
                        h_seconds_sum 0.1 1.5e9
                        h_seconds_created 1.5e9 -1.5
                        # EOF
                        """,
            Format.TEXT,
            """
                        # TYPE h_seconds histogram
                        h_seconds_bucket{le="+Inf"} 1 1520879607789
                        h_seconds_count 1 1520879607789
                        h_seconds_sum 0.1 1500000000000
                        """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("canonical")
  void writesCanonicalForm(String name, Format from, String body, Format target, String expected) {
    Exposition exposition = ExpositionParser.parse(utf8(body), from);

    byte[] written = ExpositionWriter.write(exposition, target);

    assertThat(string(written)).isEqualTo(expected);
    assertThat(ExpositionParser.parse(written, target).format()).isEqualTo(target);
  }

  static Stream<Arguments> roundTrips() {
    return Stream.of(
        Arguments.of("node_exporter-like text", Format.TEXT, Fixtures.NODE_EXPORTER, true),
        Arguments.of(
            "client_java-like OpenMetrics (TYPE, UNIT, HELP order)",
            Format.OPENMETRICS,
            Fixtures.CLIENT_JAVA,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roundTrips")
  void parseWriteParseGivesAnEqualExposition(
      String name, Format format, String body, boolean canonical) {
    Exposition parsed = ExpositionParser.parse(utf8(body), format);

    byte[] written = ExpositionWriter.write(parsed, format);
    Exposition reparsed = ExpositionParser.parse(written, format);

    assertThat(reparsed).isEqualTo(parsed);
    assertThat(ExpositionWriter.write(reparsed, format)).isEqualTo(written);
    if (canonical) { // but an empty label value is no label, as Prometheus stores it
      assertThat(string(written)).isEqualTo(body.replace("broadcast=\"\",", ""));
    }
  }

  @Test
  void openMetricsWrittenAsTextParsesAsText() {
    Exposition openMetrics = ExpositionParser.parse(utf8(Fixtures.CLIENT_JAVA), Format.OPENMETRICS);

    byte[] text = ExpositionWriter.write(openMetrics, Format.TEXT);
    Exposition reparsed = ExpositionParser.parse(text, Format.TEXT);

    assertThat(reparsed.sampleCount()).isEqualTo(openMetrics.sampleCount());
    assertThat(reparsed.families())
        .extracting(MetricFamily::name)
        .containsExactly(
            "http_request_duration_seconds",
            "http_request_duration_seconds_created",
            "jvm_runtime",
            "jvm_runtime_info",
            "jvm_memory_used_bytes",
            "requests",
            "requests_total",
            "requests_created",
            "feature_flags",
            "queue_size", // a histogram in text: its _bucket samples belong to it
            "queue_size_gcount",
            "queue_size_gsum",
            "rpc_latency_seconds",
            "mystery");
    assertThat(ExpositionWriter.write(reparsed, Format.TEXT)).isEqualTo(text);
  }

  @Test
  void escapesLabelValuesAndHelpPerFormat() {
    Exposition exposition =
        new Exposition(
            Format.TEXT,
            List.of(
                family(
                    "a",
                    MetricType.GAUGE,
                    "back\\slash \"quoted\"\nnext",
                    sample("a", "1", "v", "q\"b\\n\nü🚀"))));

    assertThat(string(ExpositionWriter.write(exposition, Format.TEXT)))
        .isEqualTo(
            """
                # HELP a back\\\\slash "quoted"\\nnext
                # TYPE a gauge
                a{v="q\\"b\\\\n\\nü🚀"} 1
                """);
  }

  @Test
  void refusesToWriteTextAsOpenMetrics() {
    Exposition text = ExpositionParser.parse(utf8("a 1\n"), Format.TEXT);

    assertThatThrownBy(() -> ExpositionWriter.write(text, Format.OPENMETRICS))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
