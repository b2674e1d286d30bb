package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generated body of about 100 KB parses whole and round-trips; there are deliberately no timing
 * assertions.
 */
class LargeBodyTest {

  private static final int TARGET_BYTES = 100_000;

  static Stream<Arguments> bodies() {
    return Stream.of(Arguments.of(Format.TEXT), Arguments.of(Format.OPENMETRICS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void parsesA100KilobyteBody(Format format) {
    StringBuilder body = new StringBuilder();
    int expectedSamples = generate(body, format);
    byte[] bytes = utf8(body.toString());
    assertThat(bytes.length).isGreaterThanOrEqualTo(TARGET_BYTES);

    Exposition exposition = ExpositionParser.parse(bytes, format);

    assertThat(exposition.sampleCount()).isEqualTo(expectedSamples);
    assertThat(ExpositionParser.parse(ExpositionWriter.write(exposition, format), format))
        .isEqualTo(exposition);
  }

  /** Appends families until the body passes 100 KB; returns the number of samples. */
  private static int generate(StringBuilder out, Format format) {
    boolean om = format == Format.OPENMETRICS;
    int samples = 0;
    for (int f = 0; out.length() < TARGET_BYTES; f++) {
      String counter = "app_requests_" + f;
      out.append("# HELP ")
          .append(counter)
          .append(" Requests by path, \\\"quoted\\\" \\\\ help.\n");
      out.append("# TYPE ").append(counter).append(" counter\n");
      for (int i = 0; i < 20; i++) {
        out.append(counter)
            .append(om ? "_total" : "")
            .append("{path=\"/api/v1/item/")
            .append(i)
            .append("\",method=\"GET\",note=\"a \\\"b\\\" ü\\n\"} ")
            .append(i * 17.25)
            .append('\n');
        samples++;
      }
      String histogram = "app_latency_seconds_" + f;
      out.append("# TYPE ").append(histogram).append(" histogram\n");
      for (String le : new String[] {"0.005", "0.01", "0.1", "1", "+Inf"}) {
        out.append(histogram)
            .append("_bucket{le=\"")
            .append(le)
            .append("\"} ")
            .append(f)
            .append('\n');
      }
      out.append(histogram)
          .append("_sum 1.5e-3\n")
          .append(histogram)
          .append("_count ")
          .append(f)
          .append('\n');
      samples += 7;
    }
    if (om) {
      out.append("# EOF\n");
    }
    return samples;
  }
}
