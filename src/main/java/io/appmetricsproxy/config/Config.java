package io.appmetricsproxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every setting of the proxy, read once from the environment and validated, so that a bad value
 * stops start-up with one clear line; each component is given its own part.
 *
 * @param maxAge how long a last good scrape is still served (MAX_AGE)
 * @param storeDir folder of the stored scrapes (STORE_DIR)
 */
public record Config(
    ScrapeSettings scrape,
    Duration maxAge,
    Path storeDir,
    DockerSettings docker,
    AccessSettings access,
    ReplicationSettings replication) {

  /** Large enough for any real setting, small enough that no duration arithmetic overflows. */
  private static final long MAX_SECONDS = 1L << 40;

  public Config {
    Objects.requireNonNull(scrape);
    Objects.requireNonNull(maxAge);
    Objects.requireNonNull(storeDir);
    Objects.requireNonNull(docker);
    Objects.requireNonNull(access);
    Objects.requireNonNull(replication);
  }

  /**
   * Reads the settings from {@code env} (the process environment, or any map in tests). {@code
   * defaultStoreDir} is used when STORE_DIR is not set.
   *
   * @throws ConfigException naming the first bad setting
   */
  public static Config fromEnvironment(Map<String, String> env, Path defaultStoreDir) {
    Settings s = new Settings(env);
    Duration interval =
        Duration.ofSeconds(
            s.wholeNumber("SCRAPE_INTERVAL", 10, 1, MAX_SECONDS, "a whole number of seconds > 0"));
    Duration timeout =
        s.seconds(
            "SCRAPE_TIMEOUT",
            defaultTimeout(interval),
            interval,
            "a number of seconds > 0 and < SCRAPE_INTERVAL (" + interval.toSeconds() + ")");
    Duration maxAge =
        Duration.ofSeconds(
            s.wholeNumber(
                "MAX_AGE",
                3 * interval.toSeconds(),
                interval.toSeconds(),
                MAX_SECONDS,
                "a whole number of seconds >= SCRAPE_INTERVAL (" + interval.toSeconds() + ")"));
    Path storeDir = s.directory("STORE_DIR", defaultStoreDir);
    LinkedHashSet<Integer> ports = new LinkedHashSet<>(DockerSettings.DEFAULT_PORTS);
    ports.addAll(s.ports("PORTS"));
    String metricsPath = s.path("METRICS_PATH", "/metrics");
    ScrapeSettings scrape =
        new ScrapeSettings(
            interval,
            timeout,
            s.size("MAX_BODY_SIZE", 10L << 20, 1L << 30),
            (int) s.wholeNumber("SCRAPE_CONCURRENCY", 64, 1, 1024, "a whole number from 1 to 1024"),
            s.flag("NATIVE_HISTOGRAMS", true));
    Optional<String> nodeName = s.optional("NODE_NAME");
    DockerSettings docker =
        new DockerSettings(
            dockerEnvironment(s),
            nodeName,
            List.copyOf(ports),
            metricsPath,
            s.address("ADVERTISE_ADDRESS"),
            s.labelValue("CLUSTER_NAME"));
    AccessSettings access =
        new AccessSettings(s.credentials("AUTH_USERNAME", "AUTH_PASSWORD"), s.cidrs("ALLOW_CIDRS"));
    return new Config(scrape, maxAge, storeDir, docker, access, replication(s, interval, storeDir));
  }

  private static ReplicationSettings replication(Settings s, Duration scrapeInterval, Path store) {
    int port =
        (int)
            s.wholeNumber(
                "REPLICATION_PORT",
                ReplicationSettings.DEFAULT_PORT,
                1,
                65535,
                "a port number from 1 to 65535");
    Duration interval =
        Duration.ofSeconds(
            s.wholeNumber(
                "REPLICATION_INTERVAL",
                scrapeInterval.toSeconds(),
                1,
                MAX_SECONDS,
                "a whole number of seconds > 0"));
    Duration timeout =
        s.seconds(
            "REPLICATION_TIMEOUT",
            defaultTimeout(interval),
            interval,
            "a number of seconds > 0 and < REPLICATION_INTERVAL (" + interval.toSeconds() + ")");
    String user = s.optional("REPLICATION_USER").orElse(ReplicationSettings.DEFAULT_USER);
    if (!user.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,31}")) {
      throw new ConfigException(
          "REPLICATION_USER", "a user name of letters, digits, \".\", \"_\" or \"-\"", user);
    }
    return new ReplicationSettings(
        port,
        s.secret("SSHPASS").map(password -> new Credentials(user, password)),
        s.peers("REPLICATION_PEERS", port),
        interval,
        timeout,
        (int)
            s.wholeNumber(
                "REPLICATION_CONCURRENCY",
                ReplicationSettings.DEFAULT_CONCURRENCY,
                1,
                1024,
                "a whole number from 1 to 1024"),
        s.directory("SSH_DIR", store.resolveSibling(store.getFileName() + "-ssh")));
  }

  /** Five seconds, or less where the interval is short: always well inside one interval. */
  static Duration defaultTimeout(Duration interval) {
    Duration fraction = interval.multipliedBy(8).dividedBy(10);
    return fraction.compareTo(Duration.ofSeconds(5)) < 0 ? fraction : Duration.ofSeconds(5);
  }

  private static Map<String, String> dockerEnvironment(Settings s) {
    Map<String, String> docker = new TreeMap<>();
    s.optional("DOCKER_HOST")
        .ifPresent(host -> docker.put("DOCKER_HOST", s.dockerHost("DOCKER_HOST", host)));
    for (String key : List.of("DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG")) {
      s.optional(key).ifPresent(value -> docker.put(key, value));
    }
    return docker;
  }
}
