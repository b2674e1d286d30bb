package io.appmetricsproxy.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormatTest {

  static Stream<Arguments> contentTypes() {
    return Stream.of(
        Arguments.of(null, Format.TEXT),
        Arguments.of("", Format.TEXT),
        Arguments.of("text/plain; version=0.0.4; charset=utf-8", Format.TEXT),
        Arguments.of("text/plain", Format.TEXT),
        Arguments.of("application/json", Format.TEXT),
        Arguments.of("text/html; charset=utf-8", Format.TEXT),
        Arguments.of("application/openmetrics-text-x", Format.TEXT),
        Arguments.of(
            "application/openmetrics-text; version=1.0.0; charset=utf-8", Format.OPENMETRICS),
        Arguments.of("application/openmetrics-text", Format.OPENMETRICS),
        Arguments.of("Application/OpenMetrics-Text;version=0.0.1", Format.OPENMETRICS),
        Arguments.of("  application/openmetrics-text ; charset=utf-8", Format.OPENMETRICS));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("contentTypes")
  void formatOfContentType(String header, Format expected) {
    assertThat(Format.ofContentType(header)).isEqualTo(expected);
  }

  @Test
  void contentTypesToServe() {
    assertThat(Format.TEXT.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(Format.OPENMETRICS.contentType())
        .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(Format.ofContentType(Format.OPENMETRICS.contentType()))
        .isEqualTo(Format.OPENMETRICS);
  }

  @Test
  void typeKeywordsAreLowercase() {
    assertThat(MetricType.GAUGEHISTOGRAM.keyword()).isEqualTo("gaugehistogram");
    assertThat(MetricType.UNTYPED.keyword()).isEqualTo("untyped");
  }
}
