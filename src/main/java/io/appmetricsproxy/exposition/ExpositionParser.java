package io.appmetricsproxy.exposition;

import java.util.List;
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
   * to each name. A PROTOBUF body is checked as Prometheus checks it and given as the OPENMETRICS
   * exposition a client without protobuf is served of it (classic buckets; a native-only
   * histogram's count, sum and +Inf bucket: {@link #nativeOnly}).
   *
   * @throws InvalidExpositionException naming the line and the reason Prometheus gives
   */
  public static Exposition parse(byte[] body, Format format) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(format, "format");
    if (format == Format.PROTOBUF) {
      return ProtobufConversion.toOpenMetrics(ProtobufReader.read(body));
    }
    Families families = new Families(format, body.length);
    if (format == Format.TEXT) {
      new TextReader(body, families).run();
    } else {
      new OpenMetricsReader(body, families).run();
    }
    return new Exposition(format, families.build());
  }

  /**
   * A checked PROTOBUF body as the exposition in {@code target} (TEXT or OPENMETRICS) a client
   * without protobuf is served: in TEXT, families keep the protobuf names, so that Prometheus keeps
   * the same metadata.
   */
  public static Exposition protobufAs(byte[] protobuf, Format target) {
    if (target == Format.PROTOBUF) {
      throw new IllegalArgumentException("a protobuf body is served as it is");
    }
    return ProtobufConversion.convert(ProtobufReader.read(protobuf), target);
  }

  /**
   * The histogram families of a checked PROTOBUF body that have native buckets alone: no text
   * format carries those, only their count, sum and +Inf bucket.
   */
  public static List<String> nativeOnly(byte[] protobuf) {
    return ProtobufConversion.nativeOnly(ProtobufReader.read(protobuf));
  }
}
