package io.appmetricsproxy.replicate;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.lang.Causes;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Opens SFTP sessions to peers: password login, host keys pinned on first use, timeouts, and
 * failures translated into messages that say what to check.
 */
public final class SshConnector {
  private static final Logger logger = Logger.getLogger(SshConnector.class.getName());

  private static final String COMPRESSION = "zlib@openssh.com,zlib,none";
  private static final String NATIVE_ZLIB = SshZlib.class.getName();
  private final JSch jsch = new JSch();
  private final PinnedHostKeys pins;
  private final String user;
  private final String password;
  private final Duration timeout;

  /**
   * The socket's read timeout of a kept session between rounds ({@link SftpRemote#idle}): at its
   * end JSch sends a keepalive, which also keeps the connection through NATs and the server's idle
   * timeout (5 minutes for a proxy's).
   */
  static final Duration IDLE_READ_TIMEOUT = Duration.ofMinutes(2);

  /**
   * @param pins where host keys are pinned
   * @param user the login on every peer
   * @param password the SSHPASS setting, the same on every node; never logged
   * @param timeout for the TCP connect, and for every read from the socket
   */
  public SshConnector(PinnedHostKeys pins, String user, String password, Duration timeout) {
    this.pins = Objects.requireNonNull(pins);
    this.user = Objects.requireNonNull(user);
    this.password = Objects.requireNonNull(password);
    this.timeout = Objects.requireNonNull(timeout);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0: " + timeout);
    }
  }

  /** A logged-in SFTP session with the peer's store folder; the caller closes it. */
  SftpRemote open(Peer peer) {
    return open(peer, true);
  }

  /**
   * @param pipelined whether the manifest goes by a second channel ({@link SftpPipeline}); without
   *     it, by JSch's alone (for a bench that compares the two)
   */
  SftpRemote open(Peer peer, boolean pipelined) {
    int millis = millis(timeout);
    CountingSocketFactory wire = new CountingSocketFactory(millis);
    Session session = null;
    try {
      session = jsch.getSession(user, peer.host(), peer.port());
      session.setPassword(password);
      session.setHostKeyAlias(peer.key());
      session.setHostKeyRepository(pins);
      session.setSocketFactory(wire);
      session.setConfig("StrictHostKeyChecking", "yes");
      session.setConfig("PreferredAuthentications", "password");
      // a kept session compresses each manifest against the one before (OpenSSH and sshd offer it)
      session.setConfig("compression.s2c", COMPRESSION);
      session.setConfig("compression.c2s", COMPRESSION);
      // zlib with its history (JSch's own classes are Huffman-only), by the JDK's zlib
      session.setConfig("zlib@openssh.com", NATIVE_ZLIB);
      session.setConfig("zlib", NATIVE_ZLIB);
      session.setConfig("compression_level", String.valueOf(SshZlib.LEVEL));
      session.setTimeout(millis);
      session.connect(millis);
    } catch (JSchException | ReplicationException e) {
      disconnect(session);
      throw sessionFailure(peer, session, wire, e);
    }
    try {
      ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
      sftp.connect(millis);
      logger.fine(() -> "Opened SFTP with " + describe(peer));
      SftpPipeline pipeline = pipelined ? pipeline(peer, session, millis) : null;
      return new SftpRemote(peer, session, sftp, pipeline, wire, millis, idleMillis());
    } catch (JSchException | RuntimeException e) {
      disconnect(session);
      throw new ReplicationException(
          describe(peer) + ": the SSH server refused the SFTP subsystem: " + e.getMessage(), e);
    }
  }

  /** Between rounds: {@link #IDLE_READ_TIMEOUT}, or the exchange's timeout where it is longer. */
  private int idleMillis() {
    return millis(timeout.compareTo(IDLE_READ_TIMEOUT) > 0 ? timeout : IDLE_READ_TIMEOUT);
  }

  /** A socket timeout in milliseconds, as JSch takes it. */
  private static int millis(Duration d) {
    return (int) Math.min(d.toMillis(), Integer.MAX_VALUE);
  }

  /** The second channel, or null where the server refuses it (e.g. OpenSSH's MaxSessions 1). */
  private static SftpPipeline pipeline(Peer peer, Session session, int millis) {
    try {
      return SftpPipeline.open(session, millis);
    } catch (JSchException | java.io.IOException e) {
      logger.fine(() -> describe(peer) + ": no second SFTP channel (" + e.getMessage() + ")");
      return null;
    }
  }

  private ReplicationException sessionFailure(
      Peer peer, Session session, CountingSocketFactory wire, Exception e) {
    String prefix = describe(peer) + ": ";
    if (e instanceof ReplicationException) {
      return new ReplicationException(prefix + e.getMessage(), e);
    }
    if (e instanceof JSchChangedHostKeyException) {
      return new ReplicationException(prefix + hostKeyChanged(peer, session.getHostKey()), e);
    }
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
      int quote = message.indexOf('\'');
      String offered = quote < 0 ? "" : message.substring(quote + 1).replace("'", "");
      if (!offered.isEmpty() && !offered.contains("password")) {
        return new ReplicationException(
            prefix + "the SSH server does not accept passwords (it offers " + offered + ")", e);
      }
      return new ReplicationException(
          prefix + "password refused for user " + user + "; is SSHPASS the same on every node?", e);
    }
    for (Throwable c : Causes.chain(e)) {
      if (c instanceof ConnectException) {
        return new ReplicationException(prefix + "connection refused", e);
      }
      if (c instanceof SocketTimeoutException) {
        return new ReplicationException(
            prefix
                + (wire.connected() ? "no answer within " : "connect timed out after ")
                + seconds(timeout),
            e);
      }
      if (c instanceof UnknownHostException) {
        return new ReplicationException(prefix + "unknown host " + peer.host(), e);
      }
      if (c instanceof NoRouteToHostException) {
        return new ReplicationException(prefix + "no route to host", e);
      }
    }
    return new ReplicationException(prefix + "SSH connection failed: " + message, e);
  }

  private String hostKeyChanged(Peer peer, HostKey offered) {
    String now = "unknown";
    String nowType = "";
    if (offered != null) {
      byte[] blob = Base64.getDecoder().decode(offered.getKey());
      now = PinnedHostKeys.fingerprint(blob);
      nowType = PinnedHostKeys.keyType(blob) + " ";
    }
    String was =
        pins.pinned(peer.key()).map(p -> p.type() + " " + p.fingerprint()).orElse("(none)");
    return "host key changed: pinned "
        + was
        + ", offered "
        + nowType
        + now
        + ". If the peer's key changed on purpose, remove the line starting with \""
        + peer.key()
        + "\" from "
        + pins.file()
        + "; the next exchange pins the new key.";
  }

  /** {@code peer node-2 (10.0.0.2:2138)}. */
  static String describe(Peer peer) {
    return "peer " + peer.name() + " (" + peer.address() + ")";
  }

  static String describe(SftpException e) {
    String text = e.getMessage();
    return switch (e.id) {
      case ChannelSftp.SSH_FX_NO_SUCH_FILE -> "no such file";
      case ChannelSftp.SSH_FX_PERMISSION_DENIED -> "permission denied";
      default -> text == null || text.isBlank() ? "SFTP status " + e.id : text;
    };
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void disconnect(Session session) {
    if (session != null) {
      session.disconnect();
    }
  }

  @Override
  public String toString() {
    return "SshConnector[user=" + user + ", password=***, timeout=" + timeout + "]";
  }
}
