package io.appmetricsproxy.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A user name and password (HTTP Basic authentication, SSH replication); the password leaves this
 * object only as a fresh copy for a client to send, and {@link #toString()} shows it as {@code
 * ***}.
 */
public final class Credentials {
  private final String username;
  private final byte[] usernameBytes;
  private final byte[] passwordBytes;

  public Credentials(String username, String password) {
    this.username = Objects.requireNonNull(username);
    this.usernameBytes = username.getBytes(StandardCharsets.UTF_8);
    this.passwordBytes = password.getBytes(StandardCharsets.UTF_8);
  }

  public String username() {
    return username;
  }

  /** A copy of the password, for an SSH client to send; the caller clears it after use. */
  public byte[] password() {
    return passwordBytes.clone();
  }

  /** Compares both parts in constant time (for a given length), and always both. */
  public boolean matches(byte[] username, byte[] password) {
    boolean user = MessageDigest.isEqual(usernameBytes, username);
    boolean pass = MessageDigest.isEqual(passwordBytes, password);
    return user & pass;
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=***]";
  }
}
