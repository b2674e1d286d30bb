package io.appmetricsproxy.serve;

import io.appmetricsproxy.exposition.Format;
import java.util.Locale;

/** Reads the Accept and Accept-Encoding headers the way Prometheus and browsers send them. */
final class Negotiation {
  private Negotiation() {}

  /**
   * The format the client weights highest: OpenMetrics where it lists application/openmetrics-text
   * (any version) with a weight above zero and at least that of text/plain (or of a wildcard, if it
   * does not list text/plain); text otherwise, also for wildcards alone.
   */
  static Format format(String accept) {
    double openMetrics = weight(accept, "application/openmetrics-text");
    if (openMetrics <= 0) {
      return Format.TEXT;
    }
    double text = weight(accept, "text/plain");
    if (text < 0) {
      text = Math.max(weight(accept, "text/*"), weight(accept, "*/*"));
    }
    return openMetrics >= text ? Format.OPENMETRICS : Format.TEXT;
  }

  /** The highest weight the header gives the media type, or -1 where it does not list it. */
  private static double weight(String header, String mediaType) {
    if (header == null) {
      return -1;
    }
    double best = -1;
    for (String part : header.split(",")) {
      String[] params = part.split(";");
      if (!params[0].strip().equalsIgnoreCase(mediaType)) {
        continue;
      }
      double q = 1;
      for (int i = 1; i < params.length; i++) {
        String p = params[i].strip().toLowerCase(Locale.ROOT);
        if (p.startsWith("q=")) {
          q = quality(p.substring(2));
        }
      }
      best = Math.max(best, q);
    }
    return best;
  }

  private static double quality(String q) {
    try {
      double value = Double.parseDouble(q.strip());
      return Double.isNaN(value) ? 0 : value;
    } catch (NumberFormatException ignored) {
      return 1;
    }
  }

  static boolean gzip(String acceptEncoding) {
    return accepts(acceptEncoding, "gzip");
  }

  private static boolean accepts(String header, String token) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String[] params = part.split(";");
      if (!params[0].strip().equalsIgnoreCase(token)) {
        continue;
      }
      for (int i = 1; i < params.length; i++) {
        String p = params[i].strip().toLowerCase(Locale.ROOT);
        if (p.startsWith("q=") && zero(p.substring(2))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean zero(String q) {
    try {
      return Double.parseDouble(q.strip()) <= 0;
    } catch (NumberFormatException ignored) {
      return false;
    }
  }
}
