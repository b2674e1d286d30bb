package io.appmetricsproxy.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The one user name and password of HTTP Basic authentication; the password never leaves this
 * object, and {@link #toString()} shows it as {@code ***}.
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
