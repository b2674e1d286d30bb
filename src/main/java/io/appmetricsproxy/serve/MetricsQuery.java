package io.appmetricsproxy.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The query of {@code /<name>/metrics}: {@code container=<container name>} answers that container
 * alone, {@code scope=local} only what this node scraped ({@code scope=all}, the default, all that
 * is held). Values are percent-decoded as HTML forms send them ({@code +} is a space), parameter
 * names are taken as written; each of the two may be given once; any other parameter is ignored.
 */
record MetricsQuery(Optional<String> container, boolean local) {
  static final MetricsQuery ALL = new MetricsQuery(Optional.empty(), false);

  /**
   * The query of a raw (still encoded) query string, {@link #ALL} for none.
   *
   * @throws IllegalArgumentException with the one line a 400 answers
   */
  static MetricsQuery parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return ALL;
    }
    String container = null;
    String scope = null;
    for (String part : rawQuery.split("&")) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? part : part.substring(0, eq);
      String raw = eq < 0 ? "" : part.substring(eq + 1);
      if (key.equals("container")) {
        container = once(key, container, raw);
      } else if (key.equals("scope")) {
        scope = once(key, scope, raw);
      }
    }
    if (container != null && container.isEmpty()) {
      throw new IllegalArgumentException("container: expected a container name, found nothing");
    }
    if (scope != null && !scope.equals("local") && !scope.equals("all")) {
      throw new IllegalArgumentException(
          "scope: expected \"local\" or \"all\", found " + quoted(scope));
    }
    return new MetricsQuery(Optional.ofNullable(container), "local".equals(scope));
  }

  private static String once(String key, String before, String raw) {
    if (before != null) {
      throw new IllegalArgumentException(key + ": given more than once");
    }
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key + ": expected a percent-encoded value, found " + quoted(raw), e);
    }
  }

  /** A value in quotes, as {@link #oneLine}. */
  static String quoted(String value) {
    return "\"" + oneLine(value) + "\"";
  }

  /** A text with its control characters (a line break would end the line) replaced. */
  static String oneLine(String text) {
    return text.replaceAll("\\p{Cntrl}", "\uFFFD");
  }
}
