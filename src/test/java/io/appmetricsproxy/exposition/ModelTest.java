package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.Fixtures.family;
import static io.appmetricsproxy.exposition.Fixtures.labels;
import static io.appmetricsproxy.exposition.Fixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The value records refuse what could not be written as a valid exposition. */
class ModelTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("label name with dash", (ThrowingCallable) () -> new Label("a-b", "x")),
        Arguments.of("metric name starting with digit", (ThrowingCallable) () -> sample("1a", "1")),
        Arguments.of("value not a float", (ThrowingCallable) () -> sample("a", "one")),
        Arguments.of(
            "duplicate label names", (ThrowingCallable) () -> sample("a", "1", "x", "1", "x", "2")),
        Arguments.of(
            "exemplar with newline",
            (ThrowingCallable) () -> new Sample("a", List.of(), "1", null, "\n")),
        Arguments.of(
            "sample of another family",
            (ThrowingCallable) () -> family("a", MetricType.GAUGE, null, sample("b", "1"))),
        Arguments.of(
            "unit not a suffix",
            (ThrowingCallable) () -> family("a_bytes", MetricType.GAUGE, null, "seconds")),
        Arguments.of(
            "two families of one name",
            (ThrowingCallable)
                () ->
                    new Exposition(
                        Format.TEXT,
                        List.of(
                            family("a", MetricType.GAUGE, null),
                            family("a", MetricType.GAUGE, null)))),
        Arguments.of(
            "untyped in OpenMetrics",
            (ThrowingCallable)
                () ->
                    new Exposition(
                        Format.OPENMETRICS, List.of(family("a", MetricType.UNTYPED, null)))),
        Arguments.of(
            "info in text",
            (ThrowingCallable)
                () -> new Exposition(Format.TEXT, List.of(family("a", MetricType.INFO, null)))),
        Arguments.of(
            "float timestamp in text",
            (ThrowingCallable)
                () ->
                    new Exposition(
                        Format.TEXT,
                        List.of(
                            family(
                                "a",
                                MetricType.GAUGE,
                                null,
                                new Sample("a", List.of(), "1", "1.5", null))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void rejectsInvalidValues(String name, ThrowingCallable construction) {
    assertThatThrownBy(construction).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void copiesListsSoValuesStayImmutable() {
    List<Label> labels = new ArrayList<>(labels("a", "1"));
    Sample sample = new Sample("m", labels, "1", null, null);
    labels.add(new Label("b", "2"));

    assertThat(sample.labels()).containsExactly(new Label("a", "1"));
    assertThatThrownBy(() -> sample.labels().add(new Label("c", "3")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void countsSamples() {
    Exposition exposition =
        new Exposition(
            Format.TEXT,
            List.of(
                family(
                    "a",
                    MetricType.GAUGE,
                    null,
                    sample("a", "1", "x", "1"),
                    sample("a", "2", "x", "2")),
                family("b", MetricType.UNTYPED, null, sample("b", "3"))));

    assertThat(exposition.sampleCount()).isEqualTo(3);
  }
}
