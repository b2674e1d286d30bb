package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.Fixtures.family;
import static io.appmetricsproxy.exposition.Fixtures.labels;
import static io.appmetricsproxy.exposition.Fixtures.latin1;
import static io.appmetricsproxy.exposition.Fixtures.sample;
import static io.appmetricsproxy.exposition.Fixtures.utf8;
import static io.appmetricsproxy.exposition.MetricType.COUNTER;
import static io.appmetricsproxy.exposition.MetricType.GAUGE;
import static io.appmetricsproxy.exposition.MetricType.GAUGEHISTOGRAM;
import static io.appmetricsproxy.exposition.MetricType.HISTOGRAM;
import static io.appmetricsproxy.exposition.MetricType.INFO;
import static io.appmetricsproxy.exposition.MetricType.STATESET;
import static io.appmetricsproxy.exposition.MetricType.SUMMARY;
import static io.appmetricsproxy.exposition.MetricType.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenMetrics 1.0.0 exactly as strict as Prometheus' openmetricsparse.go (2.42; exemplars as since
 * 2.43): not the spec's family rules, which Prometheus does not apply.
 */
class OpenMetricsParserTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("only # EOF", "# EOF\n", List.of()),
        Arguments.of(
            "# EOF without final newline",
            "a 1\n# EOF",
            List.of(family("a", UNKNOWN, null, sample("a", "1")))),
        Arguments.of(
            "counter with unit, _created, timestamp and exemplar",
            """
                        # TYPE foo_seconds counter
                        # UNIT foo_seconds seconds
                        # HELP foo_seconds Total time.
                        foo_seconds_total{a="b"} 1.5 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67 1520879602.890
                        foo_seconds_created{a="b"} 1520430000.123
                        # EOF
                        """,
            List.of(
                family(
                    "foo_seconds",
                    COUNTER,
                    "Total time.",
                    "seconds",
                    sample(
                        "foo_seconds_total",
                        labels("a", "b"),
                        "1.5",
                        "1520879607.789",
                        "{trace_id=\"KOO5S4vxi0o\"} 0.67 1520879602.890"),
                    sample("foo_seconds_created", "1520430000.123", "a", "b")))),
        Arguments.of(
            "info",
            "# TYPE build info\nbuild_info{version=\"1.0\"} 1\n# EOF\n",
            List.of(family("build", INFO, null, sample("build_info", "1", "version", "1.0")))),
        Arguments.of(
            "stateset",
            "# TYPE st stateset\nst{st=\"a\"} 1\nst{st=\"b\"} 0\n# EOF\n",
            List.of(
                family(
                    "st",
                    STATESET,
                    null,
                    sample("st", "1", "st", "a"),
                    sample("st", "0", "st", "b")))),
        Arguments.of(
            "gaugehistogram with exemplar on a bucket",
            """
                        # TYPE q gaugehistogram
                        q_bucket{le="1"} 2 # {} 0.5
                        q_bucket{le="+Inf"} 3
                        q_gcount 3
                        q_gsum 4
                        # EOF
                        """,
            List.of(
                family(
                    "q",
                    GAUGEHISTOGRAM,
                    null,
                    sample("q_bucket", labels("le", "1"), "2", null, "{} 0.5"),
                    sample("q_bucket", "3", "le", "+Inf"),
                    sample("q_gcount", "3"),
                    sample("q_gsum", "4")))),
        Arguments.of(
            "histogram with _created",
            """
                        # TYPE h histogram
                        h_bucket{le="+Inf"} 1 # {id="x"} 0.1 1.5e9
                        h_count 1
                        h_sum 0.1
                        h_created 1.5e9
                        # EOF
                        """,
            List.of(
                family(
                    "h",
                    HISTOGRAM,
                    null,
                    sample("h_bucket", labels("le", "+Inf"), "1", null, "{id=\"x\"} 0.1 1.5e9"),
                    sample("h_count", "1"),
                    sample("h_sum", "0.1"),
                    sample("h_created", "1.5e9")))),
        Arguments.of(
            "summary",
            "# TYPE s summary\ns{quantile=\"0.9\"} 1\ns_sum 2\ns_count 3\n# EOF\n",
            List.of(
                family(
                    "s",
                    SUMMARY,
                    null,
                    sample("s", "1", "quantile", "0.9"),
                    sample("s_sum", "2"),
                    sample("s_count", "3")))),
        Arguments.of(
            "families without TYPE are unknown",
            "# TYPE u unknown\nu 1\nv_total 2\n# EOF\n",
            List.of(
                family("u", UNKNOWN, null, sample("u", "1")),
                family("v_total", UNKNOWN, null, sample("v_total", "2")))),
        Arguments.of(
            "NaN and infinities",
            "a{v=\"1\"} NaN\na{v=\"2\"} +Inf\na{v=\"3\"} -Inf\n# EOF\n",
            List.of(
                family(
                    "a",
                    UNKNOWN,
                    null,
                    sample("a", "NaN", "v", "1"),
                    sample("a", "+Inf", "v", "2"),
                    sample("a", "-Inf", "v", "3")))),
        Arguments.of(
            "empty HELP and UNIT",
            "# HELP a \n# UNIT a \n# TYPE a gauge\n# EOF\n",
            List.of(family("a", GAUGE, "", ""))),
        Arguments.of(
            "HELP keeps blanks and unescapes",
            "# HELP a  two  \\\"q\\\" \\\\ \\n\n# EOF\n",
            List.of(family("a", UNKNOWN, " two  \"q\" \\ \n"))),
        Arguments.of(
            "escapes, specials and unicode in label values",
            "a{a=\"\\\"\\\\\\n\",b=\"},#= \",c=\"Grüße 🚀\"} 1\n# EOF\n",
            List.of(
                family(
                    "a",
                    UNKNOWN,
                    null,
                    sample("a", "1", "a", "\"\\\n", "b", "},#= ", "c", "Grüße 🚀")))),
        Arguments.of(
            "float second timestamps",
            "a{x=\"1\"} 1 1520879607.789\na{x=\"2\"} 1 1520879607\n# EOF\n",
            List.of(
                family(
                    "a",
                    UNKNOWN,
                    null,
                    sample("a", labels("x", "1"), "1", "1520879607.789", null),
                    sample("a", labels("x", "2"), "1", "1520879607", null)))),
        Arguments.of(
            "repeated and late metadata: the last wins",
            "# HELP a x\n# TYPE a gauge\na 1\n# HELP a y\n# UNIT a_s s\n# UNIT a_s s\n# EOF\n",
            List.of(family("a", GAUGE, "y", sample("a", "1")), family("a_s", UNKNOWN, null, "s"))),
        Arguments.of(
            "interleaved families are grouped",
            "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 2\n# EOF\n",
            List.of(
                family("a", GAUGE, null, sample("a", "1", "x", "1"), sample("a", "2", "x", "2")),
                family("b", GAUGE, null, sample("b", "1")))),
        Arguments.of(
            "an exemplar on any sample, as Prometheus allows since 2.43",
            "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# TYPE c counter\nc 1\n# EOF\n",
            List.of(
                family("g", GAUGE, null, sample("g", labels(), "1", null, "{a=\"b\"} 1")),
                family("c", COUNTER, null, sample("c", "1")))),
        Arguments.of(
            "unknown escapes stay, a repeated series keeps its first sample",
            "a{b=\"\\x\"} 1\na{b=\"\\x\"} 2\nh_bucket 1\n# EOF\n",
            List.of(
                family("a", UNKNOWN, null, sample("a", "1", "b", "\\x")),
                family("h_bucket", UNKNOWN, null, sample("h_bucket", "1")))),
        Arguments.of(
            "timestamps of any size and sign",
            "a{x=\"1\"} 1 1.001\na{x=\"2\"} 1 -1.5\na{x=\"3\"} 1 12345678901234567890\n# EOF\n",
            List.of(
                family(
                    "a",
                    UNKNOWN,
                    null,
                    sample("a", labels("x", "1"), "1", "1.001", null),
                    sample("a", labels("x", "2"), "1", "-1.5", null),
                    sample("a", labels("x", "3"), "1", "12345678901234567890", null)))),
        Arguments.of(
            "metadata only",
            "# TYPE c counter\n# HELP c Counts.\n# EOF\n",
            List.of(family("c", COUNTER, "Counts."))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesValidBodies(String name, String body, List<MetricFamily> expected) {
    Exposition exposition = ExpositionParser.parse(utf8(body), Format.OPENMETRICS);

    assertThat(exposition.format()).isEqualTo(Format.OPENMETRICS);
    assertThat(exposition.families()).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "trailing comma in a label set",
            "a{b=\"c\",} 1\n# EOF\n",
            1,
            "expected label name, got \"BCLOSE\""),
        Arguments.of("empty body", "", 1, "data does not end with # EOF"),
        Arguments.of("missing # EOF", "a 1\n", 1, "data does not end with # EOF"),
        Arguments.of("text after # EOF", "# EOF\na 1\n", 2, "unexpected data after # EOF"),
        Arguments.of("blank line after # EOF", "# EOF\n\n", 2, "unexpected data after # EOF"),
        Arguments.of("junk on the # EOF line", "# EOFa 1\n", 1, "unexpected data after # EOF"),
        Arguments.of(
            "# EOF without space",
            "a 1\n#EOF\n",
            2,
            "\"INVALID\" \"E\" is not a valid start token"),
        Arguments.of(
            "blank line",
            "a 1\n\nb 1\n# EOF\n",
            2,
            "\"INVALID\" \"\\n\" is not a valid start token"),
        Arguments.of(
            "free comment", "# hello\n# EOF\n", 1, "\"INVALID\" \"h\" is not a valid start token"),
        Arguments.of(
            "two spaces after #",
            "#  TYPE c counter\n# EOF\n",
            1,
            "\"INVALID\" \" \" is not a valid start token"),
        Arguments.of(
            "text format type", "# TYPE a untyped\n# EOF\n", 1, "invalid metric type \"untyped\""),
        Arguments.of(
            "type with trailing space",
            "# TYPE a counter \n# EOF\n",
            1,
            "invalid metric type \"counter \""),
        Arguments.of(
            "two spaces before type",
            "# TYPE a  counter\n# EOF\n",
            1,
            "invalid metric type \" counter\""),
        Arguments.of("HELP without text", "# HELP a\n# EOF\n", 1, "expected text in HELP"),
        Arguments.of(
            "unit not a suffix",
            "# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n",
            2,
            "unit not a suffix of metric \"a_bytes\""),
        Arguments.of(
            "exemplar with unquoted value",
            "# TYPE c counter\nc_total 1 # {a=b} 1\n# EOF\n",
            2,
            "expected label value, got \"INVALID\""),
        Arguments.of(
            "exemplar without value",
            "# TYPE c counter\nc_total 1 # {a=\"b\"}\n# EOF\n",
            2,
            "expected value after exemplar labels, got \"INVALID\""),
        Arguments.of(
            "exemplar with NaN timestamp",
            "# TYPE c counter\nc_total 1 # {} 1 NaN\n# EOF\n",
            2,
            "invalid exemplar timestamp"),
        Arguments.of(
            "exemplar without label set",
            "# TYPE c counter\nc_total 1 # 1\n# EOF\n",
            2,
            "expected timestamp or # symbol, got \"INVALID\""),
        Arguments.of(
            "hash and space without exemplar",
            "# TYPE c counter\nc_total 1 # \n# EOF\n",
            2,
            "expected timestamp or # symbol, got \"INVALID\""),
        Arguments.of(
            "timestamp, hash and space without exemplar",
            "# TYPE c counter\nc_total 1 2 # \n# EOF\n",
            2,
            "expected next entry after timestamp, got \"INVALID\""),
        Arguments.of(
            "text after exemplar",
            "# TYPE c counter\nc_total 1 # {} 1 2 3\n# EOF\n",
            2,
            "expected next entry after exemplar timestamp, got \"TIMESTAMP\""),
        Arguments.of("NaN timestamp", "a 1 NaN\n# EOF\n", 1, "invalid timestamp"),
        Arguments.of("infinite timestamp", "a 1 -Inf\n# EOF\n", 1, "invalid timestamp"),
        Arguments.of(
            "hash without exemplar",
            "a 1 #\n# EOF\n",
            1,
            "strconv.ParseFloat: parsing \"#\": invalid syntax"),
        Arguments.of(
            "text after timestamp",
            "a 1 2 3\n# EOF\n",
            1,
            "expected next entry after timestamp, got \"TIMESTAMP\""),
        Arguments.of(
            "tab before value", "a\t1\n# EOF\n", 1, "expected value after metric, got \"INVALID\""),
        Arguments.of(
            "two spaces before value",
            "a  1\n# EOF\n",
            1,
            "expected value after metric, got \"INVALID\""),
        Arguments.of(
            "trailing space",
            "a 1 \n# EOF\n",
            1,
            "expected timestamp or # symbol, got \"INVALID\""),
        Arguments.of(
            "space in label set",
            "a{b=\"c\", d=\"e\"} 1\n# EOF\n",
            1,
            "expected label name, got \"INVALID\""),
        Arguments.of(
            "leading space", " a 1\n# EOF\n", 1, "\"INVALID\" \" \" is not a valid start token"),
        Arguments.of(
            "HTML page",
            "<html><body>502 Bad Gateway</body></html>",
            1,
            "\"INVALID\" \"<\" is not a valid start token"),
        Arguments.of(
            "JSON", "{\"status\":\"error\"}\n", 1, "\"INVALID\" \"{\" is not a valid start token"),
        Arguments.of(
            "invalid UTF-8 in HELP",
            latin1("# HELP a caf\u00e9\n# EOF\n"),
            1,
            "help text is not a valid utf8 string"),
        Arguments.of(
            "CRLF line endings",
            "a 1\r\n# EOF\r\n",
            1,
            "strconv.ParseFloat: parsing \"1\\r\": invalid syntax"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsInvalidBodies(String name, Object body, int line, String reason) {
    byte[] bytes = body instanceof byte[] raw ? raw : utf8((String) body);

    InvalidExpositionException e =
        catchThrowableOfType(
            InvalidExpositionException.class,
            () -> ExpositionParser.parse(bytes, Format.OPENMETRICS));

    assertThat(e).as("no exception for %s", name).isNotNull();
    assertThat(e.reason()).contains(reason);
    assertThat(e.line()).isEqualTo(line);
  }
}
