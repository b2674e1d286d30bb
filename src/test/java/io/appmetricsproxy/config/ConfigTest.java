package io.appmetricsproxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigTest {
  private static final Path STORE = Path.of("/tmp/store");

  private static Config read(Map<String, String> env) {
    return Config.fromEnvironment(env, STORE);
  }

  @Test
  void defaultsAreTheOriginalScriptsOnes() {
    Config c = read(Map.of());
    assertThat(c.scrape().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.scrape().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.docker().metricsPath()).isEqualTo("/metrics");
    assertThat(c.docker().ports()).containsExactly(80, 8080, 9100);
    assertThat(c.scrape().maxBodyBytes()).isEqualTo(10L << 20);
    assertThat(c.scrape().concurrency()).isEqualTo(64);
    assertThat(c.storeDir()).isEqualTo(STORE);
    assertThat(c.docker().nodeName()).isEmpty();
    assertThat(c.docker().dockerHost()).isEqualTo("unix:///var/run/docker.sock");
    assertThat(c.access().credentials()).isEmpty();
    assertThat(c.access().allowCidrs()).isEmpty();
    assertThat(c.access().accessControlled()).isFalse();
  }

  @Test
  void readsEverySetting() {
    Config c =
        read(
            Map.of(
                "SCRAPE_INTERVAL", "30",
                "SCRAPE_TIMEOUT", "2.5",
                "MAX_AGE", "120",
                "METRICS_PATH", "\"/actuator/prometheus\"",
                "PORTS", "9090, 8081 9404,8080",
                "MAX_BODY_SIZE", "512KiB",
                "SCRAPE_CONCURRENCY", "8",
                "STORE_DIR", "/var/lib/amp",
                "NODE_NAME", "node-1",
                "DOCKER_HOST", "tcp://10.0.0.1:2376"));
    assertThat(c.scrape().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.scrape().timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.maxAge()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.docker().metricsPath()).isEqualTo("/actuator/prometheus");
    assertThat(c.docker().ports()).containsExactly(80, 8080, 9100, 9090, 8081, 9404);
    assertThat(c.scrape().maxBodyBytes()).isEqualTo(512 * 1024);
    assertThat(c.scrape().concurrency()).isEqualTo(8);
    assertThat(read(Map.of("NATIVE_HISTOGRAMS", "False")).scrape().nativeHistograms()).isFalse();
    assertThat(read(Map.of()).scrape().nativeHistograms()).isTrue();
    assertThat(c.storeDir()).isEqualTo(Path.of("/var/lib/amp"));
    assertThat(c.docker().nodeName()).contains("node-1");
    assertThat(c.docker().environment()).containsEntry("DOCKER_HOST", "tcp://10.0.0.1:2376");
  }

  @Test
  void shortIntervalsGetATimeoutInsideTheInterval() {
    assertThat(read(Map.of("SCRAPE_INTERVAL", "1")).scrape().timeout())
        .isEqualTo(Duration.ofMillis(800));
    assertThat(read(Map.of("SCRAPE_INTERVAL", "2")).maxAge()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void blankAndQuotedValuesMeanTheDefaultOrTheValue() {
    assertThat(read(Map.of("SCRAPE_INTERVAL", "  ")).scrape().interval())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(read(Map.of("SCRAPE_INTERVAL", "'15'")).scrape().interval())
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(read(Map.of("PORTS", "")).docker().ports()).containsExactly(80, 8080, 9100);
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(
            "SCRAPE_INTERVAL",
            "ten",
            "SCRAPE_INTERVAL: expected a whole number of seconds > 0, found \"ten\""),
        Arguments.of(
            "SCRAPE_INTERVAL",
            "0",
            "SCRAPE_INTERVAL: expected a whole number of seconds > 0, found \"0\""),
        Arguments.of(
            "SCRAPE_INTERVAL",
            "1.5",
            "SCRAPE_INTERVAL: expected a whole number of seconds > 0, found \"1.5\""),
        Arguments.of(
            "SCRAPE_TIMEOUT",
            "10",
            "SCRAPE_TIMEOUT: expected a number of seconds > 0 and < SCRAPE_INTERVAL (10),"
                + " found \"10\""),
        Arguments.of(
            "SCRAPE_TIMEOUT",
            "-1",
            "SCRAPE_TIMEOUT: expected a number of seconds > 0 and < SCRAPE_INTERVAL (10),"
                + " found \"-1\""),
        Arguments.of(
            "MAX_AGE",
            "5",
            "MAX_AGE: expected a whole number of seconds >= SCRAPE_INTERVAL (10), found \"5\""),
        Arguments.of(
            "METRICS_PATH",
            "metrics",
            "METRICS_PATH: expected a URL path starting with \"/\", found \"metrics\""),
        Arguments.of(
            "PORTS",
            "8080,http",
            "PORTS: expected port numbers from 1 to 65535 separated by commas or spaces,"
                + " found \"8080,http\""),
        Arguments.of(
            "PORTS",
            "70000",
            "PORTS: expected port numbers from 1 to 65535 separated by commas or spaces,"
                + " found \"70000\""),
        Arguments.of(
            "MAX_BODY_SIZE",
            "lots",
            "MAX_BODY_SIZE: expected a size in bytes from 1 to 1073741824, e.g. 10485760 or"
                + " 10MiB, found \"lots\""),
        Arguments.of(
            "SCRAPE_CONCURRENCY",
            "0",
            "SCRAPE_CONCURRENCY: expected a whole number from 1 to 1024, found \"0\""),
        Arguments.of(
            "NATIVE_HISTOGRAMS", "yes", "NATIVE_HISTOGRAMS: expected true or false, found \"yes\""),
        Arguments.of(
            "STORE_DIR",
            "relative/dir",
            "STORE_DIR: expected an absolute directory path, found \"relative/dir\""),
        Arguments.of(
            "ALLOW_CIDRS",
            "10.0.0.0/8, 10.0.0.0/33",
            "ALLOW_CIDRS: expected IP addresses or CIDR ranges (e.g. 10.0.0.0/8, ::1) separated"
                + " by commas or spaces, found \"10.0.0.0/8, 10.0.0.0/33\""),
        Arguments.of(
            "ALLOW_CIDRS",
            "localhost",
            "ALLOW_CIDRS: expected IP addresses or CIDR ranges (e.g. 10.0.0.0/8, ::1) separated"
                + " by commas or spaces, found \"localhost\""),
        Arguments.of(
            "DOCKER_HOST",
            "docker.sock",
            "DOCKER_HOST: expected unix:///path/to/docker.sock or tcp://host:port,"
                + " found \"docker.sock\""),
        Arguments.of(
            "ADVERTISE_ADDRESS",
            "http://node1:2137",
            "ADVERTISE_ADDRESS: expected a host or host:port (IPv6 in brackets),"
                + " found \"http://node1:2137\""),
        Arguments.of(
            "ADVERTISE_ADDRESS",
            "node1:70000",
            "ADVERTISE_ADDRESS: expected a host or host:port (IPv6 in brackets),"
                + " found \"node1:70000\""),
        Arguments.of(
            "CLUSTER_NAME",
            "qa\tdev",
            "CLUSTER_NAME: expected one line of text, found \"qa\tdev\""));
  }

  @Test
  void readsTheAddressAndClusterThatServiceDiscoveryGives() {
    assertThat(read(Map.of()).docker().advertiseAddress()).isEmpty();
    assertThat(read(Map.of()).docker().clusterName()).isEmpty();
    for (String address :
        List.of("node1", "node1:2137", "10.0.0.3:80", "[fd00::3]:2137", "[::1]")) {
      assertThat(read(Map.of("ADVERTISE_ADDRESS", address)).docker().advertiseAddress())
          .hasValue(address);
    }
    assertThat(read(Map.of("CLUSTER_NAME", " qa ")).docker().clusterName()).hasValue("qa");
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badSettings")
  void aBadSettingNamesKeyExpectationAndValue(String key, String value, String message) {
    assertThatThrownBy(() -> read(Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void extraPortsAreTriedAfterTheDefaultsWithoutRepeats() {
    assertThat(read(Map.of("PORTS", "9100 3000,3000")).docker().ports())
        .isEqualTo(List.of(80, 8080, 9100, 3000));
  }

  @Test
  void readsAccessControl() {
    Config c =
        read(
            Map.of(
                "AUTH_USERNAME", "prometheus",
                "AUTH_PASSWORD", "s3cret-Pa55",
                "ALLOW_CIDRS", "10.0.0.0/8, 127.0.0.1 ::1,fd00::/8"));
    assertThat(c.access().credentials())
        .get()
        .extracting(Credentials::username)
        .isEqualTo("prometheus");
    assertThat(c.access().allowCidrs())
        .extracting(Cidr::toString)
        .containsExactly(
            "10.0.0.0/8", "127.0.0.1/32", "0:0:0:0:0:0:0:1/128", "fd00:0:0:0:0:0:0:0/8");
    assertThat(c.access().accessControlled()).isTrue();
    assertThat(c.toString()).doesNotContain("s3cret-Pa55").contains("password=***");
  }

  @Test
  void eitherAccessSettingAloneTurnsAccessControlOn() {
    assertThat(read(Map.of("ALLOW_CIDRS", "127.0.0.1")).access().accessControlled()).isTrue();
    assertThat(read(Map.of("AUTH_USERNAME", "u", "AUTH_PASSWORD", "p")).access().accessControlled())
        .isTrue();
  }

  static Stream<Arguments> halfCredentials() {
    return Stream.of(
        Arguments.of(
            Map.of("AUTH_USERNAME", "prometheus"),
            "AUTH_PASSWORD: expected a password when AUTH_USERNAME is set, found \"\""),
        Arguments.of(
            Map.of("AUTH_USERNAME", "prometheus", "AUTH_PASSWORD", "  "),
            "AUTH_PASSWORD: expected a password when AUTH_USERNAME is set, found \"\""),
        Arguments.of(
            Map.of("AUTH_PASSWORD", "s3cret-Pa55"),
            "AUTH_USERNAME: expected a user name when AUTH_PASSWORD is set, found \"\""),
        Arguments.of(
            Map.of("AUTH_USERNAME", "a:b", "AUTH_PASSWORD", "s3cret-Pa55"),
            "AUTH_USERNAME: expected a user name without \":\" or control characters,"
                + " found \"a:b\""));
  }

  @ParameterizedTest
  @MethodSource("halfCredentials")
  void credentialsNeedBothKeysAndNoErrorShowsThePassword(Map<String, String> env, String message) {
    assertThatThrownBy(() -> read(env))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void replicationDefaults() {
    ReplicationSettings r = read(Map.of()).replication();
    assertThat(r.port()).isEqualTo(2138);
    assertThat(r.credentials()).isEmpty();
    assertThat(r.peers()).isEmpty();
    assertThat(r.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(r.concurrency()).isEqualTo(32);
    assertThat(r.sshDir()).isEqualTo(Path.of("/tmp/store-ssh"));
  }

  @Test
  void readsReplicationSettings() {
    ReplicationSettings r =
        read(Map.of(
                "SSHPASS", "s3cret-Pa55",
                "REPLICATION_USER", "amp",
                "REPLICATION_PORT", "2222",
                "REPLICATION_PEERS", "node-2, 10.0.0.3:2223 [fd00::4]:2224 [fd00::5]",
                "REPLICATION_INTERVAL", "20",
                "REPLICATION_TIMEOUT", "7.5",
                "REPLICATION_CONCURRENCY", "4",
                "SSH_DIR", "/var/lib/amp-ssh"))
            .replication();
    assertThat(r.port()).isEqualTo(2222);
    assertThat(r.credentials()).get().extracting(Credentials::username).isEqualTo("amp");
    assertThat(r.credentials().get().matches("amp".getBytes(), "s3cret-Pa55".getBytes())).isTrue();
    assertThat(r.credentials().get().toString()).doesNotContain("s3cret");
    assertThat(r.peers())
        .extracting(ReplicationSettings.PeerAddress::toString)
        .containsExactly("node-2:2222", "10.0.0.3:2223", "[fd00::4]:2224", "[fd00::5]:2222");
    assertThat(r.interval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(r.timeout()).isEqualTo(Duration.ofMillis(7500));
    assertThat(r.concurrency()).isEqualTo(4);
    assertThat(r.sshDir()).isEqualTo(Path.of("/var/lib/amp-ssh"));
  }

  static Stream<Arguments> badReplicationSettings() {
    return Stream.of(
        Arguments.of(
            Map.of("REPLICATION_PORT", "ssh"),
            "REPLICATION_PORT: expected a port number from 1 to 65535, found \"ssh\""),
        Arguments.of(
            Map.of("REPLICATION_PEERS", "node-2:70000"),
            "REPLICATION_PEERS: expected host:port items (port optional, IPv6 in brackets)"
                + " separated by commas or spaces, found \"node-2:70000\""),
        Arguments.of(
            Map.of("REPLICATION_PEERS", "ssh://node-2"),
            "REPLICATION_PEERS: expected host:port items (port optional, IPv6 in brackets)"
                + " separated by commas or spaces, found \"ssh://node-2\""),
        Arguments.of(
            Map.of("REPLICATION_INTERVAL", "20", "REPLICATION_TIMEOUT", "20"),
            "REPLICATION_TIMEOUT: expected a number of seconds > 0 and < REPLICATION_INTERVAL"
                + " (20), found \"20\""),
        Arguments.of(
            Map.of("REPLICATION_CONCURRENCY", "0"),
            "REPLICATION_CONCURRENCY: expected a whole number from 1 to 1024, found \"0\""),
        Arguments.of(
            Map.of("SSHPASS", "s3cret-Pa55", "REPLICATION_USER", "root;rm"),
            "REPLICATION_USER: expected a user name of letters, digits, \".\", \"_\" or \"-\","
                + " found \"root;rm\""),
        Arguments.of(
            Map.of("SSH_DIR", "relative/ssh"),
            "SSH_DIR: expected an absolute directory path, found \"relative/ssh\""));
  }

  @ParameterizedTest
  @MethodSource("badReplicationSettings")
  void badReplicationSettingsStopStartUp(Map<String, String> env, String message) {
    assertThatThrownBy(() -> read(env))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void secretsComeFromFilesToo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path sshpass = java.nio.file.Files.writeString(dir.resolve("sshpass"), "s3cret-Pa55\n");
    Path auth = java.nio.file.Files.writeString(dir.resolve("auth"), "w3b-Pa55");
    Config c =
        read(
            Map.of(
                "SSHPASS_FILE", sshpass.toString(),
                "AUTH_USERNAME", "prometheus",
                "AUTH_PASSWORD_FILE", auth.toString()));
    assertThat(
            c.replication()
                .credentials()
                .get()
                .matches("app-metrics-proxy".getBytes(), "s3cret-Pa55".getBytes()))
        .isTrue();
    assertThat(
            c.access().credentials().get().matches("prometheus".getBytes(), "w3b-Pa55".getBytes()))
        .isTrue();
    java.nio.file.Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> read(Map.of("SSHPASS_FILE", dir.resolve("empty").toString())))
        .hasMessage(
            "SSHPASS_FILE: expected a file holding the password, not an empty one, found \""
                + dir.resolve("empty")
                + "\"");
    assertThatThrownBy(() -> read(Map.of("SSHPASS_FILE", "/no/such/file")))
        .hasMessage(
            "SSHPASS_FILE: expected a readable file holding the password, found \"/no/such/file\"");
    assertThatThrownBy(
            () -> read(Map.of("SSHPASS_FILE", sshpass.toString(), "SSHPASS", "s3cret-Pa55")))
        .hasMessage(
            "SSHPASS_FILE: expected no SSHPASS beside it (set one of the two), found \""
                + sshpass
                + "\"")
        .hasMessageNotContaining("s3cret");
  }
}
