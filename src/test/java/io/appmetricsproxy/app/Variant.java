package io.appmetricsproxy.app;

import java.util.Locale;

/** ConformanceIT's Prometheus jobs: the body itself, and the proxy's ways of serving it. */
enum Variant {
  DIRECT("direct"),
  OPENMETRICS("openmetrics client"),
  TEXT("text client"),
  MERGE("merge of 2"),
  MERGE_TEXT("merge, text client");

  final String title;

  Variant(String title) {
    this.title = title;
  }

  String job() {
    return name().toLowerCase(Locale.ROOT);
  }
}
