package io.appmetricsproxy.exposition;

import java.util.Objects;

/**
 * Parser of the Prometheus text format 0.0.4 and OpenMetrics 1.0.0 that accepts exactly what
 * Prometheus' scrape accepts (model/textparse of 2.42, and the checks scrape.go and the head
 * appender add), keeping what Prometheus would store.
 */
public final class ExpositionParser {

  private ExpositionParser() {}

  /**
   * Parses a whole body. Where Prometheus' scrape fails on the body, so does this, with Prometheus'
   * reason; where Prometheus keeps it, the exposition holds what Prometheus stores: every series
   * (the first of samples repeating a series and its timestamp), the last HELP, TYPE and UNIT given
   * to each name.
   *
   * @throws InvalidExpositionException naming the line and the reason Prometheus gives
   */
  public static Exposition parse(byte[] body, Format format) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(format, "format");
    Families families = new Families(format, body.length);
    if (format == Format.TEXT) {
      new TextReader(body, families).run();
    } else {
      new OpenMetricsReader(body, families).run();
    }
    return new Exposition(format, families.build());
  }
}
