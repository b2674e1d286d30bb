package io.appmetricsproxy.replicate.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the replication SFTP server listens, whom it lets in and what it serves; {@code ownNode} may
 * be empty until the proxy knows its node name, and then no client may write anywhere.
 */
public record ServerSettings(
    String bindHost,
    int port,
    String user,
    String password,
    Path hostKeyFile,
    Path root,
    Supplier<Optional<String>> ownNode) {

  public ServerSettings {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(hostKeyFile, "hostKeyFile");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(ownNode, "ownNode");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: expected 0..65535, found " + port);
    }
    if (user.isEmpty() || password.isEmpty()) {
      throw new IllegalArgumentException("user and password must not be empty");
    }
  }

  @Override
  public String toString() {
    return "ServerSettings[bindHost="
        + bindHost
        + ", port="
        + port
        + ", user="
        + user
        + ", password=***, hostKeyFile="
        + hostKeyFile
        + ", root="
        + root
        + "]";
  }
}
