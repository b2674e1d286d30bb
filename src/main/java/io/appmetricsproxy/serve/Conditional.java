package io.appmetricsproxy.serve;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** HTTP's conditional GET (RFC 9110 13.2.2): If-None-Match first, If-Modified-Since without it. */
final class Conditional {
  private Conditional() {}

  /** True when the client's copy is current and the answer is {@code 304 Not Modified}. */
  static boolean notModified(
      String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
    if (ifNoneMatch != null) {
      return matches(ifNoneMatch, etag);
    }
    if (ifModifiedSince != null) {
      try {
        Instant since = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince));
        return !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
      } catch (DateTimeParseException ignored) {
        return false; // an invalid date is ignored
      }
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

  /** An HTTP date: "Wed, 25 Nov 2026 12:00:00 GMT". */
  static String httpDate(Instant t) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
  }
}
