package io.appmetricsproxy.exposition;

import java.util.Locale;

/**
 * The wire formats of Prometheus metrics: the classic text format 0.0.4, OpenMetrics 1.0.0 and the
 * delimited protobuf of io.prometheus.client.MetricFamily messages (the one native histograms
 * travel in).
 */
public enum Format {
  TEXT("text/plain; version=0.0.4; charset=utf-8"),
  OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8"),
  PROTOBUF(
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited");

  private static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";
  private static final String PROTOBUF_MEDIA_TYPE = "application/vnd.google.protobuf";

  private final String contentType;

  Format(String contentType) {
    this.contentType = contentType;
  }

  /** The Content-Type header value to serve this format with. */
  public String contentType() {
    return contentType;
  }

  /**
   * The format of a body from its Content-Type header value: OPENMETRICS for the media type
   * application/openmetrics-text, PROTOBUF for application/vnd.google.protobuf (any parameters, any
   * case: Prometheus 2.42 reads the media type alone), TEXT for anything else including null.
   */
  public static Format ofContentType(String headerValue) {
    if (headerValue == null) {
      return TEXT;
    }
    int semicolon = headerValue.indexOf(';');
    String mediaType = (semicolon < 0 ? headerValue : headerValue.substring(0, semicolon)).strip();
    String lower = mediaType.toLowerCase(Locale.ROOT);
    if (lower.equals(PROTOBUF_MEDIA_TYPE)) {
      return PROTOBUF;
    }
    return lower.equals(OPENMETRICS_MEDIA_TYPE) ? OPENMETRICS : TEXT;
  }
}
