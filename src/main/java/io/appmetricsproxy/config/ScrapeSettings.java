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
 */
public record ScrapeSettings(
    Duration interval, Duration timeout, long maxBodyBytes, int concurrency) {

  public ScrapeSettings {
    Objects.requireNonNull(interval);
    Objects.requireNonNull(timeout);
    if (timeout.compareTo(interval) >= 0) {
      throw new IllegalArgumentException("scrape timeout must be shorter than the interval");
    }
  }
}
