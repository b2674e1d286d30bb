package io.appmetricsproxy.replicate.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.util.threads.ExecutorServiceCarrier;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.RejectAllPublickeyAuthenticator;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.UnsupportedAttributePolicy;

/**
 * The SFTP-only SSH server through which peers replicate entries into this node's store folder,
 * jailed to it and held to its layout ({@link Place}).
 */
public final class ReplicationServer implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(ReplicationServer.class.getName());

  /** Password attempts a client has on one connection. */
  public static final int MAX_AUTH_ATTEMPTS = 3;

  /** Sessions the server holds open at once. */
  public static final int MAX_SESSIONS = 32;

  static final Duration FAILED_LOGIN_DELAY = Duration.ofSeconds(1);
  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(15);
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final SshServer sshd;
  private final String fingerprint;

  private ReplicationServer(SshServer sshd, String fingerprint) {
    this.sshd = sshd;
    this.fingerprint = fingerprint;
  }

  /**
   * Starts listening; the host key is read from its file, or made and saved there first.
   *
   * @throws IllegalStateException naming the address when the server cannot start
   */
  public static ReplicationServer start(ServerSettings settings, ArrivalListener listener) {
    // The JDK's providers do all this server needs. Registering Bouncy Castle (from the WAR) would
    // make it JVM-wide: after an undeploy the next deployment, or any other webapp, would find a
    // provider whose class loader is closed, and every SSH handshake would fail.
    SecurityUtils.setAPrioriDisabledProvider(SecurityUtils.BOUNCY_CASTLE, true);
    SshServer sshd = SshServer.setUpDefaultServer();
    try {
      Path root = settings.root().toAbsolutePath();
      Files.createDirectories(root);
      SimpleGeneratorHostKeyProvider keys = hostKeys(settings.hostKeyFile());
      KeyPair hostKey = keys.loadKeys(null).iterator().next();
      sshd.setHost(settings.bindHost());
      sshd.setPort(settings.port());
      sshd.setKeyPairProvider(keys);
      sshd.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
      sshd.setPasswordAuthenticator(
          new PasswordCheck(settings.user(), settings.password(), FAILED_LOGIN_DELAY));
      sshd.setPublickeyAuthenticator(RejectAllPublickeyAuthenticator.INSTANCE);
      sshd.setKeyboardInteractiveAuthenticator(null);
      sshd.setHostBasedAuthenticator(null);
      sshd.setGSSAuthenticator(null);
      sshd.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE)); // no direct-tcpip
      sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
      sshd.setAgentFactory(null);
      sshd.setShellFactory(null);
      sshd.setCommandFactory(null);
      Guard guard = new Guard(root, settings.ownNode(), listener);
      SftpSubsystemFactory sftp =
          new SftpSubsystemFactory.Builder()
              .withFileSystemAccessor(new LayoutAccessor(guard))
              // else sshd answers a refused stat with empty attributes instead of the refusal
              .withUnsupportedAttributePolicy(UnsupportedAttributePolicy.ThrowException)
              .withSftpErrorStatusDataHandler(new ErrorTexts())
              .build();
      sftp.addSftpEventListener(new LayoutEvents(guard));
      sshd.setSubsystemFactories(List.of(sftp));
      sshd.setCompressionFactories(Zlib.atLevel(sshd.getCompressionFactories()));
      sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
      sshd.addSessionListener(guard);
      sshd.setIoServiceEventListener(new SessionCap());
      CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, MAX_AUTH_ATTEMPTS);
      CoreModuleProperties.AUTH_TIMEOUT.set(sshd, AUTH_TIMEOUT);
      CoreModuleProperties.IDLE_TIMEOUT.set(sshd, IDLE_TIMEOUT);
      CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(sshd, MAX_SESSIONS);
      CoreModuleProperties.SERVER_IDENTIFICATION.set(sshd, "app-metrics-proxy");
      // every SFTP reply is a small write: without this each waits for the client's delayed ACK
      CoreModuleProperties.TCP_NODELAY.set(sshd, true);
      // No fsync per arriving file (sshd's default): the store does not sync its own writes
      // either, and a file a power cut tore fails the check when read, is skipped and copied
      // again. At 200 nodes the first copy (about 1,000 files to each node) was bound by them.
      org.apache.sshd.common.PropertyResolverUtils.updateProperty(
          sshd,
          org.apache.sshd.sftp.server.SftpFileSystemAccessor.PROP_AUTO_SYNC_FILE_ON_CLOSE,
          false);
      sshd.start();
      ReplicationServer server =
          new ReplicationServer(sshd, KeyUtils.getFingerPrint(hostKey.getPublic()));
      logger.log(
          Level.INFO,
          "Replication SFTP server on {0}:{1,number,#}, host key {2}, serving {3}",
          new Object[] {settings.bindHost(), server.port(), server.fingerprint, root});
      return server;
    } catch (IOException | RuntimeException e) {
      stop(sshd);
      throw new IllegalStateException(
          "cannot start the replication SFTP server on "
              + settings.bindHost()
              + ":"
              + settings.port()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static SimpleGeneratorHostKeyProvider hostKeys(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(file);
    keys.setAlgorithm(KeyUtils.EC_ALGORITHM); // ecdsa-sha2-nistp256: JSch and OpenSSH take it
    keys.setKeySize(256);
    keys.setStrictFilePermissions(true); // 600 where POSIX
    return keys;
  }

  /** The bound port, the chosen one when the settings asked for port 0. */
  public int port() {
    return sshd.getPort();
  }

  /** The host key's fingerprint, {@code SHA256:<base64>}, as OpenSSH prints it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Stops listening and ends every session; no thread of the server outlives this call. */
  @Override
  public void close() {
    stop(sshd);
  }

  /**
   * Stops the server and waits for its timer and I/O threads: sshd only asks them to stop, and an
   * undeploy found one of them still running now and then.
   */
  private static void stop(SshServer sshd) {
    List<ExecutorService> pools = new ArrayList<>();
    pools.add(sshd.getScheduledExecutorService());
    if (sshd.getIoServiceFactory() instanceof ExecutorServiceCarrier io) {
      pools.add(io.getExecutorService());
    }
    try {
      sshd.stop(true);
      for (ExecutorService pool : pools) {
        if (pool != null && !pool.awaitTermination(5, TimeUnit.SECONDS)) {
          logger.warning("A thread of the replication SFTP server did not end within 5 s");
        }
      }
    } catch (IOException e) {
      logger.log(Level.WARNING, "Stopping the replication SFTP server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Refuses a connection beyond {@link #MAX_SESSIONS}, before any SSH work is done for it. */
  private static final class SessionCap implements IoServiceEventListener {
    @Override
    public void connectionAccepted(
        IoAcceptor acceptor, SocketAddress local, SocketAddress remote, SocketAddress service)
        throws IOException {
      if (acceptor.getManagedSessions().size() >= MAX_SESSIONS) {
        logger.log(Level.WARNING, "Refused a connection from {0}: too many sessions", remote);
        throw new IOException("too many sessions");
      }
    }
  }
}
