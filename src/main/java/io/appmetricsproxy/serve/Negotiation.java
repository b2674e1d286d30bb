package io.appmetricsproxy.serve;

import io.appmetricsproxy.exposition.Format;
import java.util.Locale;

/** Reads the Accept and Accept-Encoding headers the way Prometheus and browsers send them. */
final class Negotiation {
  private Negotiation() {}

  private static final String PROTOBUF = "application/vnd.google.protobuf";

  /**
   * The format the client weights highest: PROTOBUF where it lists application/vnd.google.protobuf
   * with proto=io.prometheus.client.MetricFamily and encoding=delimited (as Prometheus does with
   * native histograms on) with a weight above zero and at least that of every other type it lists;
   * else {@link #textFormat}.
   */
  static Format format(String accept) {
    double protobuf = weight(accept, PROTOBUF);
    if (protobuf > 0 && protobuf >= maxOtherWeight(accept)) {
      return Format.PROTOBUF;
    }
    return textFormat(accept);
  }

  /** The highest weight of the types listed but delimited MetricFamily protobuf, 0 for none. */
  private static double maxOtherWeight(String accept) {
    double best = 0;
    for (String part : accept.split(",")) {
      if (!isProtobuf(part)) {
        best = Math.max(best, quality(part.split(";")));
      }
    }
    return best;
  }

  /**
   * The text format the client weights highest: OpenMetrics where it lists
   * application/openmetrics-text (any version) with a weight above zero and at least that of
   * text/plain (or of a wildcard, if it does not list text/plain); text otherwise, also for
   * wildcards alone.
   */
  static Format textFormat(String accept) {
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
      if (!params[0].strip().equalsIgnoreCase(mediaType)
          || (mediaType.equals(PROTOBUF) && !isProtobuf(part))) {
        continue;
      }
      best = Math.max(best, quality(params));
    }
    return best;
  }

  /** The weight of one entry of the header, split at ';': its q, 1 without one. */
  private static double quality(String[] params) {
    double q = 1;
    for (int i = 1; i < params.length; i++) {
      String p = params[i].strip().toLowerCase(Locale.ROOT);
      if (p.startsWith("q=")) {
        q = quality(p.substring(2));
      }
    }
    return q;
  }

  /** Whether the entry is delimited MetricFamily protobuf, as client_golang's Negotiate asks. */
  private static boolean isProtobuf(String part) {
    String[] params = part.split(";");
    if (!params[0].strip().equalsIgnoreCase(PROTOBUF)) {
      return false;
    }
    boolean proto = false;
    boolean delimited = false;
    for (int i = 1; i < params.length; i++) {
      String p = params[i].strip();
      proto |= p.equals("proto=io.prometheus.client.MetricFamily");
      delimited |= p.equalsIgnoreCase("encoding=delimited");
    }
    return proto && delimited;
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
