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

/** OpenMetrics 1.0.0, as strict as Prometheus' openmetricsparse.go plus the spec's family rules. */
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
            "a{a=\"\\\"\\\\\\n\",b=\"},#= \",c=\"Grüße 🚀\",} 1\n# EOF\n",
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
        Arguments.of("empty body", "", 1, "missing \"# EOF\""),
        Arguments.of("missing # EOF", "a 1\n", 2, "missing \"# EOF\" at the end"),
        Arguments.of("text after # EOF", "# EOF\na 1\n", 2, "unexpected data after \"# EOF\""),
        Arguments.of("blank line after # EOF", "# EOF\n\n", 2, "unexpected data after \"# EOF\""),
        Arguments.of("junk on the # EOF line", "# EOFa 1\n", 1, "unexpected data after \"# EOF\""),
        Arguments.of(
            "# EOF without space",
            "a 1\n#EOF\n",
            2,
            "expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\""),
        Arguments.of("blank line", "a 1\n\nb 1\n# EOF\n", 2, "blank line"),
        Arguments.of(
            "free comment",
            "# hello\n# EOF\n",
            1,
            "expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\", found \"# hello\""),
        Arguments.of(
            "two spaces after #", "#  TYPE c counter\n# EOF\n", 1, "found \"#  TYPE c counter\""),
        Arguments.of(
            "text format type", "# TYPE a untyped\n# EOF\n", 1, "unknown metric type \"untyped\""),
        Arguments.of(
            "type with trailing space",
            "# TYPE a counter \n# EOF\n",
            1,
            "unknown metric type \"counter \""),
        Arguments.of(
            "two spaces before type",
            "# TYPE a  counter\n# EOF\n",
            1,
            "unknown metric type \" counter\""),
        Arguments.of(
            "HELP without text", "# HELP a\n# EOF\n", 1, "missing text after \"# HELP a\""),
        Arguments.of(
            "second HELP",
            "# HELP a x\n# HELP a y\n# EOF\n",
            2,
            "second HELP line for metric family \"a\""),
        Arguments.of(
            "second TYPE",
            "# TYPE a gauge\n# TYPE a gauge\n# EOF\n",
            2,
            "second TYPE line for metric family \"a\""),
        Arguments.of(
            "second UNIT",
            "# UNIT a_s s\n# UNIT a_s s\n# EOF\n",
            2,
            "second UNIT line for metric family \"a_s\""),
        Arguments.of(
            "unit not a suffix",
            "# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n",
            2,
            "unit \"seconds\" is not a suffix of metric family \"a_bytes\""),
        Arguments.of(
            "metadata after samples",
            "a 1\n# HELP a late\n# EOF\n",
            2,
            "HELP line for metric family \"a\" after its samples"),
        Arguments.of(
            "interleaved families",
            "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 2\n# EOF\n",
            5,
            "metric family \"a\" is not contiguous"),
        Arguments.of(
            "metadata of an earlier family",
            "a 1\nb 1\n# HELP a x\n# EOF\n",
            3,
            "metric family \"a\" is not contiguous"),
        Arguments.of(
            "counter sample without _total",
            "# TYPE c counter\nc 1\n# EOF\n",
            2,
            "sample \"c\" does not fit counter family \"c\""),
        Arguments.of(
            "exemplar on a gauge",
            "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n",
            2,
            "exemplar on sample \"g\""),
        Arguments.of(
            "exemplar on a histogram sum",
            "# TYPE h histogram\nh_sum 1 # {a=\"b\"} 1\n# EOF\n",
            2,
            "exemplar on sample \"h_sum\""),
        Arguments.of(
            "exemplar with unquoted value",
            "# TYPE c counter\nc_total 1 # {a=b} 1\n# EOF\n",
            2,
            "expected a quoted value of label \"a\""),
        Arguments.of(
            "exemplar without value",
            "# TYPE c counter\nc_total 1 # {a=\"b\"}\n# EOF\n",
            2,
            "expected a value after the exemplar labels"),
        Arguments.of(
            "exemplar with NaN timestamp",
            "# TYPE c counter\nc_total 1 # {} 1 NaN\n# EOF\n",
            2,
            "invalid exemplar timestamp \"NaN\""),
        Arguments.of(
            "exemplar without label set",
            "# TYPE c counter\nc_total 1 # 1\n# EOF\n",
            2,
            "expected the label set of an exemplar, found \"1\""),
        Arguments.of(
            "hash and space without exemplar",
            "# TYPE c counter\nc_total 1 # \n# EOF\n",
            2,
            "expected the label set of an exemplar, found end of line"),
        Arguments.of(
            "timestamp, hash and space without exemplar",
            "# TYPE c counter\nc_total 1 2 # \n# EOF\n",
            2,
            "expected the label set of an exemplar, found end of line"),
        Arguments.of(
            "text after exemplar",
            "# TYPE c counter\nc_total 1 # {} 1 2 3\n# EOF\n",
            2,
            "unexpected text after the exemplar: \" 3\""),
        Arguments.of("NaN timestamp", "a 1 NaN\n# EOF\n", 1, "invalid timestamp \"NaN\""),
        Arguments.of("infinite timestamp", "a 1 -Inf\n# EOF\n", 1, "invalid timestamp \"-Inf\""),
        Arguments.of("hash without exemplar", "a 1 #\n# EOF\n", 1, "invalid timestamp \"#\""),
        Arguments.of(
            "text after timestamp",
            "a 1 2 3\n# EOF\n",
            1,
            "unexpected text after the timestamp: \" 3\""),
        Arguments.of(
            "tab before value",
            "a\t1\n# EOF\n",
            1,
            "expected a space before the value, found \"\\t1\""),
        Arguments.of(
            "two spaces before value",
            "a  1\n# EOF\n",
            1,
            "expected a single space before the value"),
        Arguments.of(
            "trailing space",
            "a 1 \n# EOF\n",
            1,
            "expected a timestamp after the value, found end of line"),
        Arguments.of(
            "space in label set",
            "a{b=\"c\", d=\"e\"} 1\n# EOF\n",
            1,
            "expected a label name, found \" d="),
        Arguments.of("leading space", " a 1\n# EOF\n", 1, "expected a metric name, found \" a 1\""),
        Arguments.of(
            "invalid escape",
            "a{b=\"\\x\"} 1\n# EOF\n",
            1,
            "invalid escape \"\\x\" in label value"),
        Arguments.of(
            "duplicate series",
            "a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 1\n# EOF\n",
            2,
            "duplicate series"),
        Arguments.of(
            "bucket without le",
            "# TYPE h histogram\nh_bucket 1\n# EOF\n",
            2,
            "has no \"le\" label"),
        Arguments.of(
            "HTML page",
            "<html><body>502 Bad Gateway</body></html>",
            1,
            "expected a metric name, found \"<html><body>502 Bad ...\""),
        Arguments.of(
            "JSON",
            "{\"status\":\"error\"}\n",
            1,
            "expected a metric name, found \"{\\\"status\\\":\\\"error\\\"}\""),
        Arguments.of(
            "invalid UTF-8 in HELP",
            latin1("# HELP a caf\u00e9\n# EOF\n"),
            1,
            "invalid UTF-8 byte 0xe9"),
        Arguments.of("CRLF line endings", "a 1\r\n# EOF\r\n", 1, "CRLF"));
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
