package io.appmetricsproxy.exposition;

import java.util.Locale;

/**
 * The two wire formats of Prometheus metrics: the classic text format 0.0.4 and OpenMetrics 1.0.0.
 */
public enum Format {
  TEXT("text/plain; version=0.0.4; charset=utf-8"),
  OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";

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
   * application/openmetrics-text (any parameters, any case), TEXT for anything else including null.
   */
  public static Format ofContentType(String headerValue) {
    if (headerValue == null) {
      return TEXT;
    }
    int semicolon = headerValue.indexOf(';');
    String mediaType = (semicolon < 0 ? headerValue : headerValue.substring(0, semicolon)).strip();
    return mediaType.toLowerCase(Locale.ROOT).equals(OPENMETRICS_MEDIA_TYPE) ? OPENMETRICS : TEXT;
  }
}
