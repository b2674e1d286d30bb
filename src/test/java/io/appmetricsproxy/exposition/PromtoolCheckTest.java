package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.ExpositionMergerTest.source;
import static io.appmetricsproxy.exposition.Fixtures.utf8;

import io.appmetricsproxy.testing.Promtool;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Writer output must pass Prometheus' own "promtool check metrics" without a parse error. */
class PromtoolCheckTest {

  static Stream<Arguments> outputs() {
    Exposition merged =
        ExpositionMerger.merge(
                List.of(
                    source(Format.TEXT, Fixtures.NODE_EXPORTER, "container", "node-1"),
                    source(Format.TEXT, Fixtures.NODE_EXPORTER, "container", "node-2"),
                    source(Format.OPENMETRICS, Fixtures.CLIENT_JAVA, "container", "app-1")))
            .exposition();
    Exposition openMetrics = ExpositionParser.parse(utf8(Fixtures.CLIENT_JAVA), Format.OPENMETRICS);
    return Stream.of(
        Arguments.of(
            "merged replicas of text and OpenMetrics", ExpositionWriter.write(merged, Format.TEXT)),
        Arguments.of(
            "OpenMetrics written as text", ExpositionWriter.write(openMetrics, Format.TEXT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void promtoolFindsNoParseError(String name, byte[] body) {
    Promtool.assertParses(name, body);
  }
}
