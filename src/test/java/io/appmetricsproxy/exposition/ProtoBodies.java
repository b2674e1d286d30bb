package io.appmetricsproxy.exposition;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes protobuf messages field by field (field numbers of metrics.proto), so that tests can make
 * good bodies and broken ones byte by byte.
 */
public final class ProtoBodies {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static ProtoBodies message() {
    return new ProtoBodies();
  }

  public ProtoBodies varint(int field, long value) {
    key(field, 0);
    ProtobufMerger.varint(out, value);
    return this;
  }

  public ProtoBodies sint(int field, long value) {
    return varint(field, (value << 1) ^ (value >> 63));
  }

  public ProtoBodies fixed64(int field, double value) {
    key(field, 1);
    long bits = Double.doubleToLongBits(value);
    for (int i = 0; i < 8; i++) {
      out.write((int) (bits >>> (8 * i)) & 0xff);
    }
    return this;
  }

  public ProtoBodies string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  public ProtoBodies bytes(int field, byte[] value) {
    key(field, 2);
    ProtobufMerger.varint(out, value.length);
    out.write(value, 0, value.length);
    return this;
  }

  public ProtoBodies message(int field, ProtoBodies inner) {
    return bytes(field, inner.toByteArray());
  }

  /** Raw bytes, as they are. */
  public ProtoBodies raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private void key(int field, int wireType) {
    ProtobufMerger.varint(out, ((long) field << 3) | wireType);
  }

  // io.prometheus.client messages

  public static ProtoBodies label(String name, String value) {
    return message().string(1, name).string(2, value);
  }

  public static ProtoBodies family(String name, String help, int type) {
    ProtoBodies f = message().string(1, name);
    if (help != null) {
      f.string(2, help);
    }
    return f.varint(3, type);
  }

  public static ProtoBodies exemplar(String traceId, double value, long seconds, int nanos) {
    return message()
        .message(1, label("trace_id", traceId))
        .fixed64(2, value)
        .message(3, message().varint(1, seconds).varint(2, nanos));
  }

  /** A gauge family of one metric of value 1 with these labels. */
  public static ProtoBodies gauge(String name, ProtoBodies... labels) {
    ProtoBodies metric = message();
    for (ProtoBodies l : labels) {
      metric.message(1, l);
    }
    return family(name, null, 1).message(4, metric.message(2, message().fixed64(1, 1)));
  }

  /** A body of one histogram family "h" of one metric with this Histogram message. */
  public static byte[] histogramBody(ProtoBodies histogram) {
    return delimited(family("h", null, 4).message(4, message().message(7, histogram)));
  }

  /** A delimited body of these MetricFamily messages. */
  public static byte[] delimited(ProtoBodies... families) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (ProtoBodies f : families) {
      byte[] bytes = f.toByteArray();
      ProtobufMerger.varint(body, bytes.length);
      body.write(bytes, 0, bytes.length);
    }
    return body.toByteArray();
  }

  /**
   * A body with every kind: a counter with an exemplar and created timestamp, a gauge with a
   * timestamp, a summary, a classic histogram with exemplars, a native histogram with classic
   * buckets too, a native-only one.
   */
  public static byte[] everyKind() {
    ProtoBodies created = message().varint(1, 1_700_000_000L).varint(2, 5_000_000);
    return delimited(
        family("requests_total", "Requests.", 0)
            .message(
                4,
                message()
                    .message(1, label("path", "/a"))
                    .message(
                        3,
                        message()
                            .fixed64(1, 17)
                            .message(2, exemplar("abc123", 1, 1_700_000_100L, 250_000_000))
                            .message(3, created))),
        family("temperature", "Degrees \"C\"\nnow.", 1)
            .message(
                4, message().message(2, message().fixed64(1, 21.5)).varint(6, 1_700_000_000_123L)),
        family("rpc_seconds", null, 2)
            .message(
                4,
                message()
                    .message(
                        4,
                        message()
                            .varint(1, 10)
                            .fixed64(2, 3.25)
                            .message(3, message().fixed64(1, 0.5).fixed64(2, 0.2))
                            .message(3, message().fixed64(1, 0.99).fixed64(2, 0.9)))),
        family("classic_seconds", "Classic.", 4)
            .message(
                4,
                message()
                    .message(
                        7,
                        message()
                            .varint(1, 6)
                            .fixed64(2, 4.5)
                            .message(3, message().varint(1, 2).fixed64(2, 0.1))
                            .message(
                                3,
                                message()
                                    .varint(1, 5)
                                    .fixed64(2, 1)
                                    .message(3, exemplar("def", 0.7, 1_700_000_200L, 0))))),
        family("both_seconds", "Both.", 4)
            .message(
                4,
                message()
                    .message(
                        7,
                        message()
                            .varint(1, 4)
                            .fixed64(2, 2.5)
                            .message(3, message().varint(1, 3).fixed64(2, 1))
                            .sint(5, 3)
                            .fixed64(6, 1e-128)
                            .varint(7, 1)
                            .message(12, message().sint(1, 0).varint(2, 2))
                            .sint(13, 1)
                            .sint(13, 1))),
        family("native_seconds", "Native only.", 4)
            .message(
                4,
                message()
                    .message(1, label("op", "get"))
                    .message(
                        7,
                        message()
                            .varint(1, 4)
                            .fixed64(2, 1.5)
                            .sint(5, 0)
                            .fixed64(6, 1e-128)
                            .message(12, message().sint(1, -1).varint(2, 3))
                            .bytes(13, new byte[] {2, 0, 2}))));
  }
}
