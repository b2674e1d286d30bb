package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.Fixtures.family;
import static io.appmetricsproxy.exposition.Fixtures.labels;
import static io.appmetricsproxy.exposition.Fixtures.latin1;
import static io.appmetricsproxy.exposition.Fixtures.sample;
import static io.appmetricsproxy.exposition.Fixtures.utf8;
import static io.appmetricsproxy.exposition.MetricType.COUNTER;
import static io.appmetricsproxy.exposition.MetricType.GAUGE;
import static io.appmetricsproxy.exposition.MetricType.HISTOGRAM;
import static io.appmetricsproxy.exposition.MetricType.SUMMARY;
import static io.appmetricsproxy.exposition.MetricType.UNTYPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The text format 0.0.4 as Prometheus 2.42 reads it: CRLF line endings are an error (the "\r" ends
 * up in a token), a missing final newline is accepted, timestamps are unsigned integer
 * milliseconds; repeated metadata, repeated series, unknown escapes are kept as Prometheus keeps
 * them.
 */
class TextParserTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("empty body", "", List.of()),
        Arguments.of(
            "blank lines and free comments",
            "\n \t\n# just a comment\n#HELP a not metadata\n" + "# HELPER a neither\n# EOF\n",
            List.of()),
        Arguments.of(
            "counter with HELP, TYPE and timestamps",
            """
                        # HELP http_requests_total The total number of HTTP requests.
                        # TYPE http_requests_total counter
                        http_requests_total{method="post",code="200"} 1027 1395066363000
                        http_requests_total{method="post",code="400"} 3 1395066363000
                        """,
            List.of(
                family(
                    "http_requests_total",
                    COUNTER,
                    "The total number of HTTP requests.",
                    sample(
                        "http_requests_total",
                        labels("method", "post", "code", "200"),
                        "1027",
                        "1395066363000",
                        null),
                    sample(
                        "http_requests_total",
                        labels("method", "post", "code", "400"),
                        "3",
                        "1395066363000",
                        null)))),
        Arguments.of(
            "missing final newline",
            "# TYPE a gauge\na 1",
            List.of(family("a", GAUGE, null, sample("a", "1")))),
        Arguments.of(
            "escapes in label values",
            "a{path=\"C:\\\\dir\",q=\"say \\\"hi\\\"\",nl=\"1\\n2\"} 1",
            List.of(
                family(
                    "a",
                    UNTYPED,
                    null,
                    sample("a", "1", "path", "C:\\dir", "q", "say \"hi\"", "nl", "1\n2")))),
        Arguments.of(
            "label values with } , # = and spaces",
            "a{v=\"}\",w=\",\",x=\"# x\",y=\"a=b c\"} 1\n",
            List.of(
                family(
                    "a",
                    UNTYPED,
                    null,
                    sample("a", "1", "v", "}", "w", ",", "x", "# x", "y", "a=b c")))),
        Arguments.of(
            "unicode in HELP and label values",
            "# HELP a Grüße aus Zürich 🌍\n" + "a{city=\"Zürich\",emoji=\"🚀\",cjk=\"東京\"} 1\n",
            List.of(
                family(
                    "a",
                    UNTYPED,
                    "Grüße aus Zürich 🌍",
                    sample("a", "1", "city", "Zürich", "emoji", "🚀", "cjk", "東京")))),
        Arguments.of(
            "trailing comma and empty label set",
            "a{b=\"c\",} 1\nb{} 2\n",
            List.of(
                family("a", UNTYPED, null, sample("a", "1", "b", "c")),
                family("b", UNTYPED, null, sample("b", "2")))),
        Arguments.of(
            "special values as written",
            "a{v=\"1\"} NaN\na{v=\"2\"} +Inf\na{v=\"3\"} -Inf\n"
                + "a{v=\"4\"} Inf\na{v=\"5\"} nan\na{v=\"6\"} -infinity\na{v=\"7\"} 1e3\na{v=\"8\"} -1.5E-3\n"
                + "a{v=\"9\"} .5\na{v=\"10\"} 5.\na{v=\"11\"} 1e-400\n",
            List.of(
                family(
                    "a",
                    UNTYPED,
                    null,
                    sample("a", "NaN", "v", "1"),
                    sample("a", "+Inf", "v", "2"),
                    sample("a", "-Inf", "v", "3"),
                    sample("a", "Inf", "v", "4"),
                    sample("a", "nan", "v", "5"),
                    sample("a", "-infinity", "v", "6"),
                    sample("a", "1e3", "v", "7"),
                    sample("a", "-1.5E-3", "v", "8"),
                    sample("a", ".5", "v", "9"),
                    sample("a", "5.", "v", "10"),
                    sample("a", "1e-400", "v", "11")))),
        Arguments.of(
            "blanks and tabs between tokens",
            "a \t{ b = \"c\" , d=\"e\" }\t 1  \t 1395066363000 \n",
            List.of(
                family(
                    "a",
                    UNTYPED,
                    null,
                    sample("a", labels("b", "c", "d", "e"), "1", "1395066363000", null)))),
        Arguments.of(
            "no blank needed after the label set",
            "a{b=\"c\"}1\n",
            List.of(family("a", UNTYPED, null, sample("a", "1", "b", "c")))),
        Arguments.of(
            "histogram",
            """
                        # TYPE h histogram
                        h_bucket{le="0.5"} 1
                        h_bucket{le="+Inf"} 2
                        h_sum 0.7
                        h_count 2
                        """,
            List.of(
                family(
                    "h",
                    HISTOGRAM,
                    null,
                    sample("h_bucket", "1", "le", "0.5"),
                    sample("h_bucket", "2", "le", "+Inf"),
                    sample("h_sum", "0.7"),
                    sample("h_count", "2")))),
        Arguments.of(
            "summary",
            """
                        # TYPE s summary
                        s{quantile="0.5"} 1
                        s_sum 3
                        s_count 2
                        """,
            List.of(
                family(
                    "s",
                    SUMMARY,
                    null,
                    sample("s", "1", "quantile", "0.5"),
                    sample("s_sum", "3"),
                    sample("s_count", "2")))),
        Arguments.of(
            "sample not fitting the family starts an untyped one",
            "# TYPE a gauge\na 1\na_total 2\n",
            List.of(
                family("a", GAUGE, null, sample("a", "1")),
                family("a_total", UNTYPED, null, sample("a_total", "2")))),
        Arguments.of(
            "non-contiguous samples are grouped",
            "# TYPE a gauge\na{x=\"1\"} 1\nb 2\na{x=\"2\"} 3\n",
            List.of(
                family("a", GAUGE, null, sample("a", "1", "x", "1"), sample("a", "3", "x", "2")),
                family("b", UNTYPED, null, sample("b", "2")))),
        Arguments.of(
            "TYPE before its samples, after another family",
            "# TYPE a gauge\n# TYPE b counter\n" + "a 1\nb 2\n",
            List.of(
                family("a", GAUGE, null, sample("a", "1")),
                family("b", COUNTER, null, sample("b", "2")))),
        Arguments.of(
            "HELP after samples is accepted",
            "a 1\n# HELP a late\n",
            List.of(family("a", UNTYPED, "late", sample("a", "1")))),
        Arguments.of(
            "escapes in HELP",
            "# HELP a back\\\\slash\\nnew line \\\"q\\\" \"raw\"\n",
            List.of(family("a", UNTYPED, "back\\slash\nnew line \\\"q\\\" \"raw\""))),
        Arguments.of(
            "HELP without text",
            "# HELP a\n# HELP b \n",
            List.of(family("a", UNTYPED, ""), family("b", UNTYPED, ""))),
        Arguments.of(
            "metadata without samples", "# TYPE a counter\n", List.of(family("a", COUNTER, null))),
        Arguments.of(
            "unknown escapes stay as written",
            "# HELP a tab\\t and end\\\na{b=\"x\\qy\",c=\"\\t\"} 1\n",
            List.of(
                family(
                    "a", UNTYPED, "tab\\t and end\\", sample("a", "1", "b", "x\\qy", "c", "\\t")))),
        Arguments.of(
            "repeated metadata: the last wins, wherever it is",
            "# HELP a x\n# TYPE a gauge\na 1\n# HELP a y\n# TYPE a counter\n",
            List.of(family("a", COUNTER, "y", sample("a", "1")))),
        Arguments.of(
            "HELP text starts after the name's first character",
            "# HELP a-b text\n",
            List.of(family("a", UNTYPED, "b text"))),
        Arguments.of(
            "raw newline in a label value, labels without commas",
            "a{b=\"x\ny\" c=\"2\"} 1\n",
            List.of(family("a", UNTYPED, null, sample("a", "1", "b", "x\ny", "c", "2")))),
        Arguments.of(
            "invalid UTF-8 in a comment",
            latin1("# x \u00ed\u00a0\u0080\na 1\n"),
            List.of(family("a", UNTYPED, null, sample("a", "1")))),
        Arguments.of(
            "a repeated series keeps its first sample",
            "a{x=\"1\",y=\"2\"} 1\nb 1\na{y=\"2\",x=\"1\"} 2\na 3\na 4\n",
            List.of(
                family("a", UNTYPED, null, sample("a", "1", "x", "1", "y", "2"), sample("a", "3")),
                family("b", UNTYPED, null, sample("b", "1")))),
        Arguments.of(
            "a series at other timestamps is kept",
            "a 1 1000\na 2 2000\na 3 1000\n",
            List.of(
                family(
                    "a",
                    UNTYPED,
                    null,
                    sample("a", labels(), "1", "1000", null),
                    sample("a", labels(), "2", "2000", null)))),
        Arguments.of(
            "types do not constrain samples",
            "# TYPE h histogram\nh_bucket 1\nh_bucket{le=\"x\"} 2\nh 3\n# TYPE s summary\ns 1\n",
            List.of(
                family(
                    "h",
                    HISTOGRAM,
                    null,
                    sample("h_bucket", "1"),
                    sample("h_bucket", "2", "le", "x"),
                    sample("h", "3")),
                family("s", SUMMARY, null, sample("s", "1")))),
        Arguments.of(
            "a label name with an empty value is no label",
            "a{x=\"\",y=\"1\"} 1\na{z=\"\",z=\"2\"} 2\n",
            List.of(family("a", UNTYPED, null, sample("a", "1", "y", "1"), sample("a", "2")))),
        Arguments.of(
            "same labels in another order are another series",
            "a{x=\"1\",y=\"2\"} 1\n" + "a{x=\"2\",y=\"1\"} 1\n",
            List.of(
                family(
                    "a",
                    UNTYPED,
                    null,
                    sample("a", "1", "x", "1", "y", "2"),
                    sample("a", "1", "x", "2", "y", "1")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesValidBodies(String name, Object body, List<MetricFamily> expected) {
    byte[] bytes = body instanceof byte[] raw ? raw : utf8((String) body);
    Exposition exposition = ExpositionParser.parse(bytes, Format.TEXT);

    assertThat(exposition.format()).isEqualTo(Format.TEXT);
    assertThat(exposition.families()).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "blanks before the metric name",
            "a 1\n  b 1\n",
            2,
            "invalid metric name or label names"),
        Arguments.of("OpenMetrics type", "# TYPE a info\n", 1, "invalid metric type \"info\""),
        Arguments.of(
            "type in capitals", "# TYPE a COUNTER\n", 1, "invalid metric type \"COUNTER\""),
        Arguments.of(
            "type with trailing blank",
            "# TYPE a counter \n",
            1,
            "invalid metric type \"counter \""),
        Arguments.of("TYPE without type", "# TYPE a\n", 1, "invalid metric type \"\""),
        Arguments.of(
            "HELP without name",
            "# HELP \n",
            1,
            "expected metric name after HELP, got \"INVALID\""),
        Arguments.of(
            "invalid name in TYPE",
            "# TYPE 1a counter\n",
            1,
            "expected metric name after TYPE, got \"INVALID\""),
        Arguments.of(
            "duplicate label name",
            "a{b=\"1\",b=\"2\"} 1\n",
            1,
            "label name \"b\" is not unique: invalid sample"),
        Arguments.of(
            "unterminated label value", "a{b=\"1} 1\n", 1, "expected label value, got \"INVALID\""),
        Arguments.of(
            "unterminated label set", "a{b=\"1\"", 1, "expected label name, got \"INVALID\""),
        Arguments.of(
            "label set without close", "a{b=\"1\" 1\n", 1, "expected label name, got \"INVALID\""),
        Arguments.of(
            "double comma", "a{b=\"1\",,c=\"2\"} 1\n", 1, "expected label name, got \"COMMA\""),
        Arguments.of(
            "unquoted label value", "a{b=1} 1\n", 1, "expected label value, got \"INVALID\""),
        Arguments.of(
            "invalid label name", "a{1b=\"x\"} 1\n", 1, "expected label name, got \"INVALID\""),
        Arguments.of(
            "reserved label name",
            "a{__name__=\"b\"} 1\n",
            1,
            "invalid metric name or label names: label \"__name__\" in a"),
        Arguments.of("missing value", "a\n", 1, "expected value after metric, got \"INVALID\""),
        Arguments.of(
            "word as value", "a true\n", 1, "strconv.ParseFloat: parsing \"true\": invalid syntax"),
        Arguments.of("underscore in value", "a 1_000\n", 1, "unsupported character in float"),
        Arguments.of("hex value", "a 0x1p3\n", 1, "unsupported character in float"),
        Arguments.of(
            "signed NaN", "a +NaN\n", 1, "strconv.ParseFloat: parsing \"+NaN\": invalid syntax"),
        Arguments.of(
            "value out of range",
            "a 1e400\n",
            1,
            "strconv.ParseFloat: parsing \"1e400\": invalid syntax"),
        Arguments.of(
            "dash in metric name",
            "a-b 1\n",
            1,
            "strconv.ParseFloat: parsing \"-b\": invalid syntax"),
        Arguments.of(
            "float timestamp",
            "a 1 1.5\n",
            1,
            "expected next entry after timestamp, got \"INVALID\""),
        Arguments.of(
            "negative timestamp",
            "a 1 -5\n",
            1,
            "expected timestamp or new record, got \"INVALID\""),
        Arguments.of(
            "timestamp past int64",
            "a 1 9223372036854775808\n",
            1,
            "strconv.ParseInt: parsing \"9223372036854775808\": value out of range"),
        Arguments.of(
            "text after timestamp",
            "a 1 2 3\n",
            1,
            "expected next entry after timestamp, got \"TIMESTAMP\""),
        Arguments.of(
            "exemplar after value",
            "a_total 1 # {t=\"1\"} 1\n",
            1,
            "expected timestamp or new record, got \"INVALID\""),
        Arguments.of(
            "exemplar after timestamp",
            "a_total 1 2 # {t=\"1\"} 1\n",
            1,
            "expected next entry after timestamp, got \"INVALID\""),
        Arguments.of(
            "HTML page",
            "<html>\n<body>Not Found</body>\n</html>\n",
            1,
            "\"INVALID\" is not a valid start token"),
        Arguments.of(
            "long HTML line is cut",
            "<!DOCTYPE html><html><head><title>x</title>",
            1,
            "\"INVALID\" is not a valid start token"),
        Arguments.of("JSON", "{\"a\":1}", 1, "\"INVALID\" is not a valid start token"),
        Arguments.of(
            "invalid UTF-8 byte",
            latin1("a 1\nb{c=\"\u00ff\"} 1\n"),
            2,
            "invalid UTF-8 label value"),
        Arguments.of(
            "overlong UTF-8",
            latin1("# HELP a \u00c0\u00af\n"),
            1,
            "help text is not a valid utf8 string"),
        Arguments.of(
            "truncated UTF-8", latin1("a{b=\"\u00e2\u0082\"} 1"), 1, "invalid UTF-8 label value"),
        Arguments.of(
            "byte order mark", "\ufeff# HELP a x\n", 1, "\"INVALID\" is not a valid start token"),
        Arguments.of(
            "CRLF line endings",
            "# TYPE a gauge\r\na 1\r\n",
            1,
            "invalid metric type \"gauge\\r\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsInvalidBodies(String name, Object body, int line, String reason) {
    byte[] bytes = body instanceof byte[] raw ? raw : utf8((String) body);

    InvalidExpositionException e =
        catchThrowableOfType(
            InvalidExpositionException.class, () -> ExpositionParser.parse(bytes, Format.TEXT));

    assertThat(e).as("no exception for %s", name).isNotNull();
    assertThat(e.reason()).contains(reason);
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.getMessage()).isEqualTo("line " + line + ": " + e.reason());
  }
}
