package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP dates: sent in IMF-fixdate only, read in the three forms RFC 9110 5.6.7 allows. */
class ConditionalTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2026-12-01T10:05:00Z     | Tue, 01 Dec 2026 10:05:00 GMT",
        "2026-12-01T09:04:03.999Z | Tue, 01 Dec 2026 09:04:03 GMT",
        "1994-11-06T08:49:37Z     | Sun, 06 Nov 1994 08:49:37 GMT",
        "2026-11-25T23:59:59Z     | Wed, 25 Nov 2026 23:59:59 GMT",
        "2027-01-09T00:00:00Z     | Sat, 09 Jan 2027 00:00:00 GMT"
      })
  void sendsImfFixdateWithATwoDigitDay(String instant, String date) {
    assertThat(Conditional.httpDate(Instant.parse(instant))).isEqualTo(date);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Sun, 06 Nov 1994 08:49:37 GMT  | 1994-11-06T08:49:37Z",
        "Sunday, 06-Nov-94 08:49:37 GMT | 1994-11-06T08:49:37Z",
        "Sun Nov  6 08:49:37 1994       | 1994-11-06T08:49:37Z",
        "Tue, 01 Dec 2026 10:05:00 GMT  | 2026-12-01T10:05:00Z",
        "Tuesday, 01-Dec-26 10:05:00 GMT | 2026-12-01T10:05:00Z",
        "Tue Dec  1 10:05:00 2026       | 2026-12-01T10:05:00Z",
        "Wed Nov 25 12:00:00 2026       | 2026-11-25T12:00:00Z"
      })
  void readsTheThreeFormsHttpAllows(String date, String instant) {
    assertThat(Conditional.parseDate(date)).contains(Instant.parse(instant));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Tue, 1 Dec 2026 10:05:00 GMT",
        "Tue, 01 Dec 2026 10:05:00 +0100",
        "2026-12-01T10:05:00Z",
        "Mon, 01 Dec 2026 10:05:00 GMT",
        "Tue, 01 Dec 2026 25:05:00 GMT",
        "yesterday"
      })
  void anythingElseIsNoDate(String date) {
    assertThat(Conditional.parseDate(date)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Wed, 25 Nov 2026 12:00:00 GMT   | true",
        "Wednesday, 25-Nov-26 12:00:00 GMT | true",
        "Wed Nov 25 12:00:00 2026         | true",
        "Wed, 25 Nov 2026 11:59:59 GMT   | false",
        "Wed Nov 25 11:59:59 2026         | false",
        "not a date                       | false"
      })
  void ifModifiedSinceInAnyFormAnswers304UnlessNewer(String since, boolean notModified) {
    Instant lastModified = Instant.parse("2026-11-25T12:00:00.250Z");
    assertThat(Conditional.notModified(null, since, "\"x\"", lastModified)).isEqualTo(notModified);
  }
}
