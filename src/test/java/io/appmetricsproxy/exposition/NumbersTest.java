package io.appmetricsproxy.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values and timestamps are accepted exactly as Go's strconv (without hex and underscores) accepts
 * them.
 */
class NumbersTest {

  @ParameterizedTest(name = "\"{0}\" is a float: {1}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "0|true",
        "-0|true",
        "+1|true",
        "1.|true",
        ".5|true",
        "1.5e3|true",
        "1E-3|true",
        "1e+3|true",
        "1e308|true",
        "1.7976931348623157e308|true",
        "1e-400|true",
        "NaN|true",
        "nan|true",
        "Inf|true",
        "+Inf|true",
        "-inf|true",
        "Infinity|true",
        "-INFINITY|true",
        "|false",
        "+|false",
        ".|false",
        "e1|false",
        "1e|false",
        "1e+|false",
        "1.5.3|false",
        "1,5|false",
        "1e400|false",
        "1.8e308|false",
        "-NaN|false",
        "+nan|false",
        "infin|false",
        "0x10|false",
        "0x1p3|false",
        "1_000|false",
        "true|false",
        " 1|false",
        "1 |false",
        "１|false"
      })
  void isFloat(String text, boolean expected) {
    assertThat(Numbers.isFloat(text == null ? "" : text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" is text-format milliseconds: {1}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "0|true",
        "1395066363000|true",
        "9223372036854775807|true",
        "9223372036854775808|false",
        "-1|false",
        "+1|false",
        "1.5|false",
        "1e3|false",
        "|false"
      })
  void isMillis(String text, boolean expected) {
    assertThat(Numbers.isMillis(text == null ? "" : text)).isEqualTo(expected);
  }

  /** As Prometheus: int64(seconds * 1000) in float arithmetic, so 1.001 s is 1000 ms. */
  @ParameterizedTest(name = "{0} s = {1} ms")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "1520879607.789|1520879607789",
        "1520879607.7899|1520879607789",
        "1.5e9|1500000000000",
        "0|0",
        "1700000002.5|1700000002500",
        "-1.5|-1500",
        "1.001|1000",
        "-1.001|-1000",
        "12345678901234567890|-9223372036854775808"
      })
  void secondsToMillis(String seconds, long millis) {
    assertThat(Numbers.secondsToMillis(seconds)).isEqualTo(millis);
  }
}
