package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.ProtoBodies.delimited;
import static io.appmetricsproxy.exposition.ProtoBodies.family;
import static io.appmetricsproxy.exposition.ProtoBodies.gauge;
import static io.appmetricsproxy.exposition.ProtoBodies.histogramBody;
import static io.appmetricsproxy.exposition.ProtoBodies.label;
import static io.appmetricsproxy.exposition.ProtoBodies.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProtobufReaderTest {

  static Stream<Arguments> refused() {
    byte[] good = delimited(gauge("up"));
    return Stream.of(
        Arguments.of("length varint cut off", new byte[] {(byte) 0x80}, "invalid varint"),
        Arguments.of(
            "length varint of 6 bytes",
            new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0},
            "protobufparse: invalid varint encountered"),
        Arguments.of(
            "length past the end",
            Arrays.copyOf(good, good.length - 1),
            "insufficient length of buffer, expected at least " + good.length + " bytes, got "),
        Arguments.of(
            "garbage bytes",
            "# HELP up x\nup 1\n".getBytes(StandardCharsets.UTF_8),
            "metric family 1 (byte 0): "),
        Arguments.of(
            "a string field as a varint",
            delimited(message().varint(1, 7)),
            "proto: wrong wireType = 0 for field Name"),
        Arguments.of(
            "a double as a varint",
            delimited(
                family("g", null, 1).message(4, message().message(2, message().varint(1, 1)))),
            "proto: wrong wireType = 0 for field Value"),
        Arguments.of(
            "field number 0",
            delimited(message().raw(0x02, 0x00)),
            "proto: MetricFamily: illegal tag 0 (wire type 2)"),
        Arguments.of(
            "an end group key",
            delimited(message().raw(0x0c)),
            "proto: MetricFamily: wiretype end group for non-group"),
        Arguments.of(
            "an unknown field of wire type 7",
            delimited(gauge("up").raw(0x4f)),
            "proto: illegal wireType 7"),
        Arguments.of(
            "a nested message past its parent",
            delimited(family("g", null, 1).raw(0x22, 0x05, 0x0a, 0x09)),
            "unexpected EOF"),
        Arguments.of(
            "a varint of 11 bytes",
            delimited(
                message()
                    .raw(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)),
            "proto: integer overflow"),
        Arguments.of("bad metric name", delimited(gauge("1up")), "invalid metric name: 1up"),
        Arguments.of("empty metric name", delimited(gauge("")), "invalid metric name: "),
        Arguments.of(
            "help not UTF-8",
            delimited(
                message()
                    .string(1, "g")
                    .bytes(2, new byte[] {(byte) 0xff})
                    .varint(3, 1)
                    .message(4, message().message(2, message().fixed64(1, 1)))),
            "invalid help for metric \"g\""),
        Arguments.of(
            "unknown type",
            delimited(family("g", null, 9).message(4, message())),
            "unknown metric type for metric \"g\": 9"),
        Arguments.of(
            "bad label name", delimited(gauge("g", label("a-b", "x"))), "invalid label name: a-b"),
        Arguments.of(
            "label value not UTF-8",
            delimited(
                gauge("g", message().string(1, "a").bytes(2, new byte[] {(byte) 0xc3, 0x28}))),
            "invalid label value"),
        Arguments.of(
            "duplicate label",
            delimited(gauge("g", label("a", "1"), label("a", "2"))),
            "label name \"a\" is not unique: invalid sample"),
        Arguments.of(
            "a __name__ label",
            delimited(gauge("g", label("__name__", "g"))),
            "label name \"__name__\" is not unique"),
        Arguments.of(
            "an empty __name__ label",
            delimited(gauge("g", label("__name__", ""))),
            "missing metric name (__name__ label)"),
        Arguments.of(
            "le on a classic histogram",
            delimited(
                family("h", null, 4)
                    .message(
                        4,
                        message().message(1, label("le", "1")).message(7, message().varint(1, 1)))),
            "label name \"le\" is not unique"),
        Arguments.of(
            "native: spans need more buckets",
            (histogramBody(message().varint(1, 5).message(12, message().varint(2, 3)).sint(13, 1))),
            "positive side: spans need 3 buckets, have 1 buckets"),
        Arguments.of(
            "native: negative bucket",
            (histogramBody(
                message()
                    .varint(1, 5)
                    .message(12, message().varint(2, 2))
                    .sint(13, 2)
                    .sint(13, -3))),
            "positive side: bucket number 2 has observation count of -1"),
        Arguments.of(
            "native: count below the buckets",
            (histogramBody(message().varint(1, 1).message(12, message().varint(2, 1)).sint(13, 2))),
            "2 observations found in buckets, but the Count field is 1"),
        Arguments.of(
            "native: negative offset of a later span",
            (histogramBody(
                message()
                    .varint(1, 2)
                    .message(12, message().varint(2, 1))
                    .message(12, message().sint(1, -2).varint(2, 1))
                    .sint(13, 1)
                    .sint(13, 0))),
            "span number 2 with offset -2"),
        Arguments.of(
            "second family broken",
            concat(good, delimited(gauge("g", label("0", "x")))),
            "metric family 2 (byte " + good.length + "): invalid label name: 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWhatPrometheusRefuses(String why, byte[] body, String message) {
    assertThatThrownBy(() -> ExpositionParser.parse(body, Format.PROTOBUF))
        .isInstanceOf(InvalidExpositionException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> kept() {
    return Stream.of(
        Arguments.of("every kind", ProtoBodies.everyKind()),
        Arguments.of("nothing", new byte[0]),
        Arguments.of("an empty message", new byte[] {0}),
        Arguments.of(
            "a family without metrics is not checked",
            delimited(message().string(1, "0 bad").varint(3, 77))),
        Arguments.of(
            "unknown fields skipped, of every wire type",
            delimited(
                gauge("g")
                    .varint(20, 5)
                    .fixed64(21, 1)
                    .string(22, "x")
                    .raw(0xbb, 0x01, 0x08, 0x01, 0xbc, 0x01) // group 23 holding a varint
                    .raw(0xc5, 0x01, 1, 2, 3, 4))),
        Arguments.of(
            "a type mismatch reads as zero",
            delimited(family("c_total", null, 0).message(4, message().message(2, message())))),
        Arguments.of(
            "an empty label value drops the name",
            delimited(gauge("g", label("a", "1"), label("a", "")))),
        Arguments.of("a length varint of 5 bytes", withLongLength(delimited(gauge("up")))),
        Arguments.of(
            "a message given twice is merged",
            delimited(
                family("g", null, 1)
                    .message(
                        4,
                        message()
                            .message(2, message().fixed64(1, 1))
                            .message(2, message().fixed64(1, 2))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kept")
  void keepsWhatPrometheusKeeps(String why, byte[] body) {
    assertThat(ExpositionParser.parse(body, Format.PROTOBUF).format())
        .isEqualTo(Format.OPENMETRICS);
  }

  @Test
  void aClientWithoutProtobufGetsClassicBucketsExemplarsAndANativeOnlyHistogramsCountAndSum() {
    byte[] body = ProtoBodies.everyKind();
    String om =
        new String(
            ExpositionWriter.write(
                ExpositionParser.parse(body, Format.PROTOBUF), Format.OPENMETRICS),
            StandardCharsets.UTF_8);
    assertThat(om)
        .isEqualTo(
            """
            # HELP requests Requests.
            # TYPE requests counter
            requests_total{path="/a"} 17 # {trace_id="abc123"} 1 1700000100.2505
            # HELP temperature Degrees \\"C\\"\\nnow.
            # TYPE temperature gauge
            temperature 21.5 1700000000.1235
            # TYPE rpc_seconds summary
            rpc_seconds{quantile="0.5"} 0.2
            rpc_seconds{quantile="0.99"} 0.9
            rpc_seconds_sum 3.25
            rpc_seconds_count 10
            # HELP classic_seconds Classic.
            # TYPE classic_seconds histogram
            classic_seconds_bucket{le="0.1"} 2
            classic_seconds_bucket{le="1.0"} 5 # {trace_id="def"} 0.7 1700000200.0005
            classic_seconds_bucket{le="+Inf"} 6
            classic_seconds_sum 4.5
            classic_seconds_count 6
            # HELP both_seconds Both.
            # TYPE both_seconds histogram
            both_seconds_bucket{le="1.0"} 3
            both_seconds_bucket{le="+Inf"} 4
            both_seconds_sum 2.5
            both_seconds_count 4
            # HELP native_seconds Native only.
            # TYPE native_seconds histogram
            native_seconds_bucket{op="get",le="+Inf"} 4
            native_seconds_sum{op="get"} 1.5
            native_seconds_count{op="get"} 4
            # EOF
            """);
    assertThat(ExpositionParser.nativeOnly(body)).containsExactly("native_seconds");
    assertThat(ExpositionParser.parse(om.getBytes(StandardCharsets.UTF_8), Format.OPENMETRICS))
        .isEqualTo(ExpositionParser.parse(body, Format.PROTOBUF));
  }

  @Test
  void goFloatsAsPrometheusWritesLe() {
    assertThat(
            Stream.of(0.005, 1.0, 10.0, 100000.0, 1e6, 1.5e-5, 0.0001, 2.5, 123456789.0, -3.0)
                .map(ProtobufConversion::openMetricsFloat))
        .containsExactly(
            "0.005",
            "1.0",
            "10.0",
            "100000.0",
            "1e+06",
            "1.5e-05",
            "0.0001",
            "2.5",
            "1.23456789e+08",
            "-3.0");
  }

  private static byte[] withLongLength(byte[] body) {
    int length = body[0];
    byte[] longer = new byte[body.length + 4];
    longer[0] = (byte) (length | 0x80);
    longer[1] = (byte) 0x80;
    longer[2] = (byte) 0x80;
    longer[3] = (byte) 0x80;
    longer[4] = 0;
    System.arraycopy(body, 1, longer, 5, body.length - 1);
    return longer;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
