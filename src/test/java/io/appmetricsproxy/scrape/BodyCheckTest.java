package io.appmetricsproxy.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.exposition.ProtoBodies;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What is no exposition at all stays refused, whichever Content-Type it comes with. */
class BodyCheckTest {

  static Stream<Arguments> notMetrics() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    byte[] protobuf = {
      0x2a, 0x0a, 0x0d, 'g', 'o', '_', 'g', 'o', 'r', 'o', 'u', 't', 'i', 'n', 'e'
    };
    return Stream.of(
            Arguments.of(
                "login page", utf8("<!DOCTYPE html>\n<html><form>Sign in</form></html>\n")),
            Arguments.of("JSON", utf8("{\"status\":\"error\",\"data\":[]}\n")),
            Arguments.of("PNG", png),
            Arguments.of("gzip not decoded", gzip),
            Arguments.of("protobuf", protobuf),
            Arguments.of("CRLF text", utf8("# TYPE a gauge\r\na 1\r\n")))
        .flatMap(
            a ->
                Stream.of(null, Format.TEXT.contentType(), Format.OPENMETRICS.contentType())
                    .map(type -> Arguments.of(a.get()[0], a.get()[1], type)));
  }

  @ParameterizedTest(name = "{0} as {2}")
  @MethodSource("notMetrics")
  void refusesWhatIsNoExposition(String name, byte[] body, String contentType) {
    BodyCheck.Verdict verdict = BodyCheck.check(body, contentType);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.error().get().reason()).isEqualTo(ScrapeError.Reason.INVALID);
    assertThat(verdict.error().get().message()).startsWith("HTTP 200 but not ");
  }

  @Test
  void aProtobufBodyIsKeptByteForByteOrRefusedWithPrometheusReason() {
    byte[] body = ProtoBodies.everyKind();
    BodyCheck.Verdict kept = BodyCheck.check(body, Format.PROTOBUF.contentType());
    assertThat(kept.payload().get().format()).isEqualTo(Format.PROTOBUF);
    assertThat(kept.payload().get().toByteArray()).isEqualTo(body);

    BodyCheck.Verdict refused =
        BodyCheck.check(Arrays.copyOf(body, body.length - 3), "application/vnd.google.protobuf");
    assertThat(refused.error().get().message())
        .startsWith("HTTP 200 but not Prometheus protobuf (metric family 6 (byte ")
        .contains("protobufparse: insufficient length of buffer");
    assertThat(BodyCheck.check(utf8("up 1\n"), Format.PROTOBUF.contentType()).accepted()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keptAsPrometheusKeepsThem")
  void keepsWhatPrometheusKeeps(String name, String body, String served) {
    BodyCheck.Verdict verdict = BodyCheck.check(utf8(body), "text/plain; version=0.0.4");

    assertThat(verdict.accepted()).isTrue();
    assertThat(new String(verdict.payload().get().toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo(served);
  }

  @Test
  void anUnchangedBodyIsTheLastPayloadAndAChangedOneIsCheckedAgain() {
    String text = Format.TEXT.contentType();
    Payload last = BodyCheck.check(utf8("a 1"), text).payload().orElseThrow();

    assertThat(BodyCheck.check(utf8("a 1"), text, Optional.of(last)).payload()).containsSame(last);
    assertThat(BodyCheck.check(utf8("a 1\n"), text, Optional.of(last)).payload())
        .containsSame(last);
    Payload changed = BodyCheck.check(utf8("a 2\n"), text, Optional.of(last)).payload().get();
    assertThat(changed).isNotEqualTo(last);
    assertThat(changed.toByteArray()).isEqualTo(utf8("a 2\n"));
    assertThat(BodyCheck.check(utf8("a 1\n"), Format.OPENMETRICS.contentType(), Optional.of(last)))
        .extracting(v -> v.error().map(ScrapeError::reason))
        .isEqualTo(Optional.of(ScrapeError.Reason.INVALID)); // no # EOF: checked again, refused
  }

  static Stream<Arguments> keptAsPrometheusKeepsThem() {
    return Stream.of(
        Arguments.of("blank lines only", "\n \n", "\n \n"),
        Arguments.of("missing final newline, added", "a 1", "a 1\n"),
        Arguments.of("a NUL ends the body for Prometheus", "a 1\n\0garbage", "a 1\n\0garbage\n"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
