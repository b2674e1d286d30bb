package io.appmetricsproxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the targets are scraped.
 *
 * @param interval time between cycles (SCRAPE_INTERVAL)
 * @param timeout what one target may take, all its ports together (SCRAPE_TIMEOUT)
 * @param maxBodyBytes largest body accepted, after decompression (MAX_BODY_SIZE)
 * @param concurrency targets scraped at the same time (SCRAPE_CONCURRENCY)
 * @param nativeHistograms whether protobuf is asked for first, as Prometheus does with native
 *     histograms on (NATIVE_HISTOGRAMS)
 */
public record ScrapeSettings(
    Duration interval,
    Duration timeout,
    long maxBodyBytes,
    int concurrency,
    boolean nativeHistograms) {

  public ScrapeSettings {
    Objects.requireNonNull(interval);
    Objects.requireNonNull(timeout);
    if (timeout.compareTo(interval) >= 0) {
      throw new IllegalArgumentException("scrape timeout must be shorter than the interval");
    }
  }

  /** Settings with native histograms asked for, as by default. */
  public ScrapeSettings(Duration interval, Duration timeout, long maxBodyBytes, int concurrency) {
    this(interval, timeout, maxBodyBytes, concurrency, true);
  }
}
