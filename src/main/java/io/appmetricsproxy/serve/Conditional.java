package io.appmetricsproxy.serve;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** HTTP's conditional GET (RFC 9110 13.2.2): If-None-Match first, If-Modified-Since without it. */
final class Conditional {
  /** IMF-fixdate, the one form HTTP sends (RFC 9110 5.6.7): a two-digit day, always GMT. */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /**
   * What a recipient must accept: IMF-fixdate and the obsolete RFC 850 (a two-digit year, read as
   * the one within 50 years of now) and C's asctime (the day padded with a space).
   */
  private static final List<DateTimeFormatter> ACCEPTED =
      List.of(
          IMF_FIXDATE,
          new DateTimeFormatterBuilder()
              .appendPattern("EEEE, dd-MMM-")
              .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now().minusYears(50))
              .appendPattern(" HH:mm:ss 'GMT'")
              .toFormatter(Locale.US)
              .withZone(ZoneOffset.UTC),
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
              .withZone(ZoneOffset.UTC));

  private Conditional() {}

  /**
   * True when the client's copy is current and the answer is {@code 304 Not Modified}; without a
   * {@code lastModified} (null), If-Modified-Since is ignored.
   */
  static boolean notModified(
      String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
    if (ifNoneMatch != null) {
      return matches(ifNoneMatch, etag);
    }
    if (ifModifiedSince != null && lastModified != null) {
      return parseDate(ifModifiedSince) // an invalid date is ignored
          .map(since -> !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(since))
          .orElse(false);
    }
    return false;
  }

  /** Weak comparison, as If-None-Match asks: {@code W/} does not count, {@code *} matches all. */
  static boolean matches(String ifNoneMatch, String etag) {
    String ours = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || opaque(c).equals(ours)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** An HTTP date in IMF-fixdate: "Tue, 01 Dec 2026 10:05:00 GMT". */
  static String httpDate(Instant t) {
    return IMF_FIXDATE.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** A date in any of the three forms HTTP allows (RFC 9110 5.6.7); empty if none matches. */
  static Optional<Instant> parseDate(String text) {
    String date = text.strip();
    for (DateTimeFormatter f : ACCEPTED) {
      try {
        return Optional.of(Instant.from(f.parse(date)));
      } catch (DateTimeParseException ignored) {
        // the next form
      }
    }
    return Optional.empty();
  }
}
