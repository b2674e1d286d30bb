package io.appmetricsproxy.serve;

import static io.appmetricsproxy.serve.AccessPolicy.Decision.ALLOW;
import static io.appmetricsproxy.serve.AccessPolicy.Decision.FORBIDDEN;
import static io.appmetricsproxy.serve.AccessPolicy.Decision.UNAUTHORIZED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.config.Cidr;
import io.appmetricsproxy.config.Credentials;
import io.appmetricsproxy.serve.AccessPolicy.Decision;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessPolicyTest {
  private static final Optional<Credentials> NONE = Optional.empty();
  private static final Optional<Credentials> PROM =
      Optional.of(new Credentials("prometheus", "pässwörd:with colon"));

  static String basic(String userColonPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static AccessPolicy policy(String cidrs, Optional<Credentials> credentials) {
    List<Cidr> ranges =
        cidrs.isEmpty() ? List.of() : Arrays.stream(cidrs.split(" ")).map(Cidr::parse).toList();
    return new AccessPolicy(ranges, credentials);
  }

  static Stream<Arguments> addresses() {
    return Stream.of(
        Arguments.of("10.0.0.0/8", "10.255.1.2", ALLOW),
        Arguments.of("10.0.0.0/8", "11.0.0.1", FORBIDDEN),
        Arguments.of("10.0.0.0/8", "9.255.255.255", FORBIDDEN),
        Arguments.of("192.168.1.0/25", "192.168.1.127", ALLOW),
        Arguments.of("192.168.1.0/25", "192.168.1.128", FORBIDDEN),
        Arguments.of("10.1.2.3/8", "10.9.9.9", ALLOW),
        Arguments.of("127.0.0.1", "127.0.0.1", ALLOW),
        Arguments.of("127.0.0.1", "127.0.0.2", FORBIDDEN),
        Arguments.of("127.0.0.1/32", "127.0.0.1", ALLOW),
        Arguments.of("127.0.0.1/32", "127.0.0.2", FORBIDDEN),
        Arguments.of("0.0.0.0/0", "203.0.113.9", ALLOW),
        Arguments.of("0.0.0.0/0", "2001:db8::1", FORBIDDEN),
        Arguments.of("::/0", "2001:db8::1", ALLOW),
        Arguments.of("::/0", "203.0.113.9", FORBIDDEN),
        Arguments.of("::1", "0:0:0:0:0:0:0:1", ALLOW),
        Arguments.of("::1", "::2", FORBIDDEN),
        Arguments.of("2001:db8::/32", "2001:db8:ffff::1", ALLOW),
        Arguments.of("2001:db8::/32", "2001:db9::1", FORBIDDEN),
        Arguments.of("fe80::/10", "fe80::1%eth0", ALLOW),
        Arguments.of("fe80::/10", "fec0::1", FORBIDDEN),
        Arguments.of("10.0.0.0/8", "::ffff:10.1.2.3", ALLOW),
        Arguments.of("10.0.0.0/8", "::ffff:11.1.2.3", FORBIDDEN),
        Arguments.of("::ffff:10.0.0.0/104", "10.1.2.3", ALLOW),
        Arguments.of("::ffff:10.0.0.0/104", "11.1.2.3", FORBIDDEN),
        Arguments.of("10.0.0.0/8 ::1", "::1", ALLOW),
        Arguments.of("10.0.0.0/8 ::1", "10.0.0.1", ALLOW),
        Arguments.of("10.0.0.0/8", "not-an-address", FORBIDDEN),
        Arguments.of("10.0.0.0/8", "", FORBIDDEN),
        Arguments.of("10.0.0.0/8", null, FORBIDDEN),
        Arguments.of("", "203.0.113.9", ALLOW));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("addresses")
  void theAddressMustLieInAnAllowedRange(String cidrs, String remote, Decision expected) {
    assertThat(policy(cidrs, NONE).decide(remote, null)).isEqualTo(expected);
  }

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of(basic("prometheus:pässwörd:with colon"), ALLOW),
        Arguments.of("basic " + basic("prometheus:pässwörd:with colon").substring(6), ALLOW),
        Arguments.of("  " + basic("prometheus:pässwörd:with colon") + "  ", ALLOW),
        Arguments.of(null, UNAUTHORIZED),
        Arguments.of("", UNAUTHORIZED),
        Arguments.of("Basic", UNAUTHORIZED),
        Arguments.of("Basic ", UNAUTHORIZED),
        Arguments.of("Basic !!!not-base64!!!", UNAUTHORIZED),
        Arguments.of("Basic cHJvbWV0aGV1cw=", UNAUTHORIZED),
        Arguments.of(basic("prometheus"), UNAUTHORIZED),
        Arguments.of(basic("prometheus:"), UNAUTHORIZED),
        Arguments.of(basic("prometheus:wrong"), UNAUTHORIZED),
        Arguments.of(basic("prometheus:pässwörd:with colo"), UNAUTHORIZED),
        Arguments.of(basic("prometheus:pässwörd:with colonn"), UNAUTHORIZED),
        Arguments.of(basic("grafana:pässwörd:with colon"), UNAUTHORIZED),
        Arguments.of(basic("Prometheus:pässwörd:with colon"), UNAUTHORIZED),
        Arguments.of(basic(":pässwörd:with colon"), UNAUTHORIZED),
        Arguments.of(
            "Bearer " + basic("prometheus:pässwörd:with colon").substring(6), UNAUTHORIZED));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("headers")
  void basicCredentialsMustMatch(String authorization, Decision expected) {
    assertThat(policy("", PROM).decide("203.0.113.9", authorization)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("headers")
  void anAddressOutsideTheRangesIsForbiddenWhateverTheCredentials(String authorization) {
    assertThat(policy("10.0.0.0/8", PROM).decide("203.0.113.9", authorization))
        .isEqualTo(FORBIDDEN);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("headers")
  void anAllowedAddressStillNeedsTheCredentials(String authorization, Decision expected) {
    assertThat(policy("10.0.0.0/8", PROM).decide("10.1.2.3", authorization)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "example.com",
        "10.0.0",
        "10.0.0.256",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/8/8",
        "::1/129",
        "::ffff:10.0.0.0/95",
        "[::1]",
        "fe80::1%eth0",
        "1:2:3:4:5:6:7:8:9",
        "::g",
        ".:",
        "0x0a000001",
        "167772161",
        ""
      })
  void anythingButAnAddressLiteralIsRejected(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void credentialsNeverShowThePassword() {
    assertThat(PROM.get().toString()).isEqualTo("Credentials[username=prometheus, password=***]");
  }
}
