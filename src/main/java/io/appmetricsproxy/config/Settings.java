package io.appmetricsproxy.config;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Typed reads of raw setting strings, each failing with the key, the expectation and the value. */
final class Settings {
  private final Map<String, String> env;

  Settings(Map<String, String> env) {
    this.env = env;
  }

  /** The value without surrounding blanks and one pair of matching quotes; empty means unset. */
  Optional<String> optional(String key) {
    String raw = env.get(key);
    if (raw == null) {
      return Optional.empty();
    }
    String value = raw.strip();
    if (value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      value = value.substring(1, value.length() - 1).strip();
    }
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  long wholeNumber(String key, long defaultValue, long min, long max, String expected) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(value.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(key, expected, value.get());
  }

  /** Seconds, fractions allowed, strictly between zero and {@code below}. */
  Duration seconds(String key, Duration defaultValue, Duration below, String expected) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      BigDecimal seconds = new BigDecimal(value.get());
      Duration d = Duration.ofMillis(seconds.movePointRight(3).longValueExact());
      if (!d.isNegative() && !d.isZero() && d.compareTo(below) < 0) {
        return d;
      }
    } catch (NumberFormatException | ArithmeticException ignored) {
      // reported below
    }
    throw new ConfigException(key, expected, value.get());
  }

  /** true or false (any case), or the default where unset. */
  boolean flag(String key, boolean defaultValue) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    String v = value.get().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw new ConfigException(key, "true or false", value.get());
  }

  /** An absolute URL path. */
  String path(String key, String defaultValue) {
    String value = optional(key).orElse(defaultValue);
    if (!value.startsWith("/") || value.chars().anyMatch(c -> c <= ' ' || c == '#' || c == 127)) {
      throw new ConfigException(key, "a URL path starting with \"/\"", value);
    }
    return value;
  }

  /** Port numbers separated by commas and/or blanks. */
  List<Integer> ports(String key) {
    Optional<String> value = optional(key);
    List<Integer> ports = new ArrayList<>();
    if (value.isEmpty()) {
      return ports;
    }
    for (String token : value.get().split("[,\\s]+")) {
      if (token.isEmpty()) {
        continue;
      }
      try {
        int port = Integer.parseInt(token);
        if (port >= 1 && port <= 65535) {
          ports.add(port);
          continue;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new ConfigException(
          key, "port numbers from 1 to 65535 separated by commas or spaces", value.get());
    }
    return ports;
  }

  /** A byte count with an optional binary suffix: 10485760, 512KiB, 10MiB, 1GiB. */
  long size(String key, long defaultValue, long max) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    String v = value.get().toLowerCase(Locale.ROOT);
    int shift = 0;
    for (String[] suffix : new String[][] {{"kib", "10"}, {"mib", "20"}, {"gib", "30"}}) {
      if (v.endsWith(suffix[0])) {
        shift = Integer.parseInt(suffix[1]);
        v = v.substring(0, v.length() - 3).strip();
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n > 0 && n <= (max >> shift)) {
        return n << shift;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(
        key, "a size in bytes from 1 to " + max + ", e.g. 10485760 or 10MiB", value.get());
  }

  Path directory(String key, Path defaultValue) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      Path path = Path.of(value.get());
      if (path.isAbsolute()) {
        return path;
      }
    } catch (InvalidPathException ignored) {
      // reported below
    }
    throw new ConfigException(key, "an absolute directory path", value.get());
  }

  String dockerHost(String key, String value) {
    if (value.matches("unix:///\\S+|tcp://[^/\\s]+(:\\d+)?/?|npipe:////\\S+")) {
      return value;
    }
    throw new ConfigException(key, "unix:///path/to/docker.sock or tcp://host:port", value);
  }

  /**
   * A user name and password, both set or neither. The password is never part of a message: a
   * missing one is reported under its own key, found empty.
   */
  Optional<Credentials> credentials(String userKey, String passwordKey) {
    Optional<String> user = optional(userKey);
    Optional<String> password = secret(passwordKey);
    if (user.isEmpty() && password.isEmpty()) {
      return Optional.empty();
    }
    if (user.isEmpty()) {
      throw new ConfigException(userKey, "a user name when " + passwordKey + " is set", "");
    }
    if (password.isEmpty()) {
      throw new ConfigException(passwordKey, "a password when " + userKey + " is set", "");
    }
    if (user.get().chars().anyMatch(c -> c == ':' || c < ' ' || c == 127)) {
      throw new ConfigException(
          userKey, "a user name without \":\" or control characters", user.get());
    }
    return Optional.of(new Credentials(user.get(), password.get()));
  }

  /** IPv4/IPv6 ranges or single addresses separated by commas and/or blanks; no host names. */
  List<Cidr> cidrs(String key) {
    Optional<String> value = optional(key);
    List<Cidr> cidrs = new ArrayList<>();
    if (value.isEmpty()) {
      return cidrs;
    }
    for (String token : value.get().split("[,\\s]+")) {
      if (token.isEmpty()) {
        continue;
      }
      try {
        cidrs.add(Cidr.parse(token));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            key,
            "IP addresses or CIDR ranges (e.g. 10.0.0.0/8, ::1) separated by commas or spaces",
            value.get());
      }
    }
    return cidrs;
  }

  /** host[:port] items separated by commas and/or blanks; IPv6 addresses in brackets. */
  List<ReplicationSettings.PeerAddress> peers(String key, int defaultPort) {
    Optional<String> value = optional(key);
    List<ReplicationSettings.PeerAddress> peers = new ArrayList<>();
    if (value.isEmpty()) {
      return peers;
    }
    java.util.regex.Pattern item = java.util.regex.Pattern.compile(HOST + "(?::(\\d{1,5}))?");
    for (String token : value.get().split("[,\\s]+")) {
      if (token.isEmpty()) {
        continue;
      }
      java.util.regex.Matcher m = item.matcher(token);
      int port = m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : defaultPort;
      if (!m.matches() || port < 1 || port > 65535) {
        throw new ConfigException(
            key,
            "host:port items (port optional, IPv6 in brackets) separated by commas or spaces",
            value.get());
      }
      peers.add(
          new ReplicationSettings.PeerAddress(m.group(1) != null ? m.group(1) : m.group(2), port));
    }
    return peers;
  }

  /** One {@code host} or {@code host:port} (IPv6 in brackets), as given. */
  Optional<String> address(String key) {
    Optional<String> value = optional(key).map(String::strip);
    if (value.isEmpty()) {
      return value;
    }
    java.util.regex.Matcher m = ADDRESS.matcher(value.get());
    if (!m.matches() || m.group(3) != null && Integer.parseInt(m.group(3)) > 65535) {
      throw new ConfigException(key, "a host or host:port (IPv6 in brackets)", value.get());
    }
    return value;
  }

  /** A host name or IPv4 address (group 2), or an IPv6 address in brackets (group 1). */
  private static final String HOST = "(?:\\[([0-9A-Fa-f:.]+)\\]|([A-Za-z0-9][A-Za-z0-9.-]*))";

  private static final java.util.regex.Pattern ADDRESS =
      java.util.regex.Pattern.compile(HOST + "(?::([1-9][0-9]{0,4}))?");

  /** A label value: one line, not blank. */
  Optional<String> labelValue(String key) {
    Optional<String> value = optional(key).map(String::strip);
    if (value.isPresent()
        && (value.get().isEmpty() || value.get().chars().anyMatch(c -> c < ' '))) {
      throw new ConfigException(key, "one line of text", value.get());
    }
    return value;
  }

  /**
   * A secret from {@code key}, or from the file that {@code key_FILE} names (a Docker or Swarm
   * secret, e.g. /run/secrets/sshpass), without its trailing line break. Never part of a message.
   */
  Optional<String> secret(String key) {
    String fileKey = key + "_FILE";
    Optional<String> file = optional(fileKey);
    if (file.isEmpty()) {
      return optional(key);
    }
    if (optional(key).isPresent()) {
      throw new ConfigException(
          fileKey, "no " + key + " beside it (set one of the two)", file.get());
    }
    String value;
    try {
      value = java.nio.file.Files.readString(Path.of(file.get()));
    } catch (java.io.IOException | InvalidPathException | java.io.UncheckedIOException e) {
      throw new ConfigException(fileKey, "a readable file holding the password", file.get());
    }
    value = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    value = value.endsWith("\r") ? value.substring(0, value.length() - 1) : value;
    if (value.isEmpty()) {
      throw new ConfigException(
          fileKey, "a file holding the password, not an empty one", file.get());
    }
    return Optional.of(value);
  }
}
