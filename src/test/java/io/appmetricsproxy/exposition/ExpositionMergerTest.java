package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.Fixtures.labels;
import static io.appmetricsproxy.exposition.Fixtures.stored;
import static io.appmetricsproxy.exposition.Fixtures.string;
import static io.appmetricsproxy.exposition.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.exposition.ExpositionMerger.Result;
import io.appmetricsproxy.exposition.ExpositionMerger.Source;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExpositionMergerTest {

  static Source source(Format format, String body, String... labelPairs) {
    return new Source(labels(labelPairs), ExpositionParser.parse(utf8(body), format));
  }

  static Stream<Arguments> merges() {
    return Stream.of(
        Arguments.of(
            "two replicas get their container label",
            List.of(
                source(
                    Format.TEXT,
                    """
                                # TYPE http_requests_total counter
                                http_requests_total{code="200"} 10
                                # HELP queue_depth Depth.
                                # TYPE queue_depth gauge
                                queue_depth 3 1700000000000
                                """,
                    "container",
                    "web-1"),
                source(
                    Format.TEXT,
                    """
                                # HELP http_requests_total Requests.
                                # TYPE http_requests_total counter
                                http_requests_total{code="200"} 7
                                http_requests_total{code="500"} 1
                                # HELP temperature_celsius Temperature.
                                # TYPE temperature_celsius gauge
                                temperature_celsius 21.5
                                """,
                    "container",
                    "web-2")),
            """
                        # HELP http_requests_total Requests.
                        # TYPE http_requests_total counter
                        http_requests_total{code="200",container="web-1"} 10
                        http_requests_total{code="200",container="web-2"} 7
                        http_requests_total{code="500",container="web-2"} 1
                        # HELP queue_depth Depth.
                        # TYPE queue_depth gauge
                        queue_depth{container="web-1"} 3 1700000000000
                        # HELP temperature_celsius Temperature.
                        # TYPE temperature_celsius gauge
                        temperature_celsius{container="web-2"} 21.5
                        """,
            List.of()),
        Arguments.of(
            "a label the target set is kept, the added one prefixed",
            List.of(
                source(
                    Format.TEXT,
                    """
                                # TYPE up gauge
                                up{container="app"} 1
                                up{container="db",proxy_container="x"} 1
                                """,
                    "container",
                    "web-1",
                    "host",
                    "h1")),
            """
                        # TYPE up gauge
                        up{container="app",proxy_container="web-1",host="h1"} 1
                        up{container="db",proxy_container="x",proxy_proxy_container="web-1",host="h1"} 1
                        """,
            List.of()),
        Arguments.of(
            "a conflicting type is warned about: the first is kept, and every sample",
            List.of(
                source(Format.TEXT, "# TYPE foo counter\nfoo 1\n", "replica", "1"),
                source(
                    Format.TEXT,
                    "# TYPE foo gauge\nfoo 2\n# TYPE bar gauge\nbar 3\n",
                    "replica",
                    "2")),
            """
                        # TYPE foo counter
                        foo{replica="1"} 1
                        foo{replica="2"} 2
                        # TYPE bar gauge
                        bar{replica="2"} 3
                        """,
            List.of(
                "family \"foo\": type \"gauge\" in source 2 conflicts with \"counter\", the first kept")),
        Arguments.of(
            "OpenMetrics and text mixed give text",
            List.of(
                source(
                    Format.OPENMETRICS,
                    """
                                # TYPE jobs counter
                                # HELP jobs Jobs done.
                                jobs_total 5 1700000000.5 # {trace_id="abc"} 1
                                jobs_created 1.7e9
                                # EOF
                                """,
                    "replica",
                    "1"),
                source(Format.TEXT, "# TYPE jobs_total counter\njobs_total 6\n", "replica", "2")),
            """
                        # HELP jobs Jobs done.
                        # TYPE jobs counter
                        jobs_total{replica="1"} 5 1700000000500
                        jobs_created{replica="1"} 1.7e9
                        # TYPE jobs_total counter
                        jobs_total{replica="2"} 6
                        """,
            List.of()),
        Arguments.of(
            "all OpenMetrics stay OpenMetrics with units and exemplars",
            List.of(
                source(
                    Format.OPENMETRICS,
                    """
                                # TYPE jobs_seconds counter
                                # UNIT jobs_seconds seconds
                                jobs_seconds_total 5 # {trace_id="abc"} 1
                                # EOF
                                """,
                    "replica",
                    "1"),
                source(
                    Format.OPENMETRICS,
                    """
                                # TYPE jobs_seconds counter
                                # HELP jobs_seconds Time spent.
                                jobs_seconds_total 6
                                # EOF
                                """,
                    "replica",
                    "2")),
            """
                        # HELP jobs_seconds Time spent.
                        # TYPE jobs_seconds counter
                        # UNIT jobs_seconds seconds
                        jobs_seconds_total{replica="1"} 5 # {trace_id="abc"} 1
                        jobs_seconds_total{replica="2"} 6
                        # EOF
                        """,
            List.of()),
        Arguments.of(
            "a series and timestamp already merged is dropped with a warning",
            List.of(
                source(Format.TEXT, "a{x=\"1\"} 1\na{x=\"2\"} 2\n", "replica", "1"),
                source(Format.TEXT, "a{x=\"1\"} 3\n", "replica", "1")),
            """
                        a{x="1",replica="1"} 1
                        a{x="2",replica="1"} 2
                        """,
            List.of("family \"a\": 1 series in source 2 duplicate earlier ones, dropped")),
        Arguments.of(
            "le and quantile source labels are always prefixed",
            List.of(
                source(
                    Format.TEXT,
                    """
                                # TYPE h histogram
                                h_bucket{le="+Inf"} 1
                                h_sum 1
                                h_count 1
                                """,
                    "le",
                    "x",
                    "quantile",
                    "y")),
            """
                        # TYPE h histogram
                        h_bucket{le="+Inf",proxy_le="x",proxy_quantile="y"} 1
                        h_sum{proxy_le="x",proxy_quantile="y"} 1
                        h_count{proxy_le="x",proxy_quantile="y"} 1
                        """,
            List.of()),
        Arguments.of(
            "samples of a name another family has are kept",
            List.of(
                source(Format.TEXT, "# TYPE x summary\nx_sum 1\nx_count 1\n", "replica", "1"),
                source(Format.TEXT, "x_sum 2\n", "replica", "2")),
            """
                        # TYPE x summary
                        x_sum{replica="1"} 1
                        x_count{replica="1"} 1
                        x_sum{replica="2"} 2
                        """,
            List.of()),
        Arguments.of(
            "a conflicting unit is warned about: the first is kept, and every sample",
            List.of(
                source(
                    Format.OPENMETRICS,
                    "# TYPE t_seconds gauge\n# UNIT t_seconds seconds\nt_seconds 1\n# EOF\n",
                    "replica",
                    "1"),
                source(
                    Format.OPENMETRICS,
                    "# TYPE t_seconds gauge\n# UNIT t_seconds \nt_seconds 2\n# EOF\n",
                    "replica",
                    "2")),
            """
                        # TYPE t_seconds gauge
                        # UNIT t_seconds seconds
                        t_seconds{replica="1"} 1
                        t_seconds{replica="2"} 2
                        # EOF
                        """,
            List.of(
                "family \"t_seconds\": unit \"\" in source 2 conflicts with \"seconds\", the first kept")),
        Arguments.of("no sources", List.of(), "", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("merges")
  void mergesIntoOneValidExposition(
      String name, List<Source> sources, String expected, List<String> warnings) {
    Result result = ExpositionMerger.merge(sources);

    Exposition merged = result.exposition();
    byte[] written = ExpositionWriter.write(merged, merged.format());
    assertThat(string(written)).isEqualTo(expected);
    assertThat(result.warnings()).containsExactlyElementsOf(warnings);
    assertThat(stored(ExpositionParser.parse(written, merged.format()))).isEqualTo(stored(merged));
  }

  @Test
  void mergesRealisticReplicasOfBothFormats() {
    List<Source> sources =
        List.of(
            source(Format.TEXT, Fixtures.NODE_EXPORTER, "container", "node-1"),
            source(Format.TEXT, Fixtures.NODE_EXPORTER, "container", "node-2"),
            source(Format.OPENMETRICS, Fixtures.CLIENT_JAVA, "container", "app-1"));

    Result result = ExpositionMerger.merge(sources);

    assertThat(result.warnings()).isEmpty();
    assertThat(result.exposition().format()).isEqualTo(Format.TEXT);
    assertThat(result.exposition().sampleCount())
        .isEqualTo(sources.stream().mapToInt(s -> s.exposition().sampleCount()).sum());
  }

  @Test
  void sourceLabelsMustBeDistinct() {
    assertThatThrownBy(() -> source(Format.TEXT, "", "a", "1", "a", "2"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
