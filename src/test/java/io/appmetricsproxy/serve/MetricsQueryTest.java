package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsQueryTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "null                          | null           | false",
        "''                            | null           | false",
        "scope=all                     | null           | false",
        "scope=local                   | null           | true",
        "container=web-1               | web-1          | false",
        "container=web.1_a-b&scope=local | web.1_a-b    | true",
        "scope=local&container=web-1   | web-1          | true",
        "container=web%2E1%5f%2D       | web.1_-        | false",
        "container=a+b%20c             | a b c          | false",
        "container=%C3%A9t%C3%A9       | été            | false",
        "container=a%3Db%26c           | a=b&c          | false",
        "container=a=b                 | a=b            | false",
        "&&foo=bar&x&container=web-1&  | web-1          | false",
        "Container=x&SCOPE=nope&scope%3D=x | null       | false",
      })
  void parses(String query, String container, boolean local) {
    assertThat(MetricsQuery.parse(query))
        .isEqualTo(new MetricsQuery(Optional.ofNullable(container), local));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "scope=remote                  | scope: expected \"local\" or \"all\", found \"remote\"",
        "scope                         | scope: expected \"local\" or \"all\", found \"\"",
        "scope=LOCAL                   | scope: expected \"local\" or \"all\", found \"LOCAL\"",
        "scope=local%0D%0Ax            | scope: expected \"local\" or \"all\", found \"local\uFFFD\uFFFDx\"",
        "scope=all&scope=local         | scope: given more than once",
        "container=a&container=a       | container: given more than once",
        "container=                    | container: expected a container name, found nothing",
        "container=web%                | container: expected a percent-encoded value, found \"web%\"",
        "container=web%g1              | container: expected a percent-encoded value, found \"web%g1\"",
      })
  void refuses(String query, String reason) {
    assertThatThrownBy(() -> MetricsQuery.parse(query))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }
}
