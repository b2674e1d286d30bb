package io.appmetricsproxy.scrape;

import java.util.Locale;
import java.util.Objects;

/** Why a target gave no metrics: a reason for counting and a message for people. */
public record ScrapeError(Reason reason, String message) {

  /** Kinds of failure, from least to most telling about the target itself. */
  public enum Reason {
    CONNECT,
    IO,
    TIMEOUT,
    HTTP_STATUS,
    EMPTY,
    TOO_LARGE,
    INVALID;

    /** The value of the {@code reason} label. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ScrapeError {
    Objects.requireNonNull(reason);
    Objects.requireNonNull(message);
  }
}
