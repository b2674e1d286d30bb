package io.appmetricsproxy.serve;

import io.appmetricsproxy.exposition.Format;
import java.util.Locale;

/** Reads the Accept and Accept-Encoding headers the way Prometheus and browsers send them. */
final class Negotiation {
  private Negotiation() {}

  /** OpenMetrics when the client lists it with a weight above zero; text otherwise. */
  static Format format(String accept) {
    return accepts(accept, "application/openmetrics-text") ? Format.OPENMETRICS : Format.TEXT;
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
