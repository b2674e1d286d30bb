package io.appmetricsproxy.replicate.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * The one replication user, compared in constant time; a wrong guess is answered only after a
 * delay, scheduled on the server's timer so that no IO thread waits.
 */
final class PasswordCheck implements PasswordAuthenticator {
  private static final Logger logger = Logger.getLogger(PasswordCheck.class.getName());

  private final byte[] user;
  private final byte[] password;
  private final Duration failureDelay;

  PasswordCheck(String user, String password, Duration failureDelay) {
    this.user = digest(user);
    this.password = digest(password);
    this.failureDelay = failureDelay;
  }

  @Override
  public boolean authenticate(String username, String pw, ServerSession session) {
    boolean userOk = MessageDigest.isEqual(user, digest(username));
    boolean passwordOk = MessageDigest.isEqual(password, digest(pw));
    if (userOk && passwordOk) {
      return true;
    }
    // Never logs what the client sent: a password typed into the user field would end up in logs.
    logger.log(
        Level.WARNING,
        "Refused a login from {0}: {1}",
        new Object[] {session.getClientAddress(), userOk ? "wrong password" : "unknown user"});
    AsyncAuthException pending = new AsyncAuthException();
    session
        .getFactoryManager()
        .getScheduledExecutorService()
        .schedule(() -> pending.setAuthed(false), failureDelay.toMillis(), TimeUnit.MILLISECONDS);
    throw pending;
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
