package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.common.SftpConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The contract against Apache MINA SSHD in process, and the connector's failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftpRemoteTest extends SftpRemoteContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private Path work;
  private MinaSftpServer server;
  private PinnedHostKeys pins;

  @BeforeAll
  void startServer() throws IOException {
    work = Files.createTempDirectory("sftp-remote-test");
    Files.createDirectories(work.resolve("store"));
    server = MinaSftpServer.start(work.resolve("host-key"), work.resolve("store"));
    pins = new PinnedHostKeys(work.resolve("ssh/known_peers"));
  }

  @AfterAll
  void stopServer() throws IOException {
    server.close();
    deleteTree(work);
  }

  @Override
  Peer peer() {
    return peer(server.port());
  }

  @Override
  Path storeRoot() {
    return work.resolve("store");
  }

  @Override
  SshConnector connector() {
    return new SshConnector(pins, MinaSftpServer.USER, MinaSftpServer.PASSWORD, TIMEOUT);
  }

  @Override
  boolean offersPosixRename() {
    return true;
  }

  static Peer peer(int port) {
    return new Peer("swarm-node-id-2", "node-2", "127.0.0.1", port, Role.MANAGER);
  }

  /**
   * An exchange with nothing to move reads the manifest and writes one: OPEN, READ and CLOSE, then
   * OPEN, WRITE, CLOSE and the rename, where JSch alone sent two READs more to find the end of the
   * file, each answer awaited in turn.
   */
  @Test
  void theManifestTakesOneReadAndOneWrite() {
    io.appmetricsproxy.store.Manifest m =
        new io.appmetricsproxy.store.Manifest(
            java.util.Map.of(
                "node-1", new io.appmetricsproxy.store.Manifest.Folder(MTIME, "1700000000123")));
    remote.writeManifest(m.format());
    server.forgetRequests();

    assertThat(remote.manifest()).contains(m);
    remote.writeManifest(m.format());

    assertThat(server.requests())
        .containsExactly(
            SftpConstants.SSH_FXP_OPEN,
            SftpConstants.SSH_FXP_READ,
            SftpConstants.SSH_FXP_CLOSE,
            SftpConstants.SSH_FXP_OPEN,
            SftpConstants.SSH_FXP_WRITE,
            SftpConstants.SSH_FXP_CLOSE,
            SftpConstants.SSH_FXP_EXTENDED); // posix-rename@openssh.com
  }

  /**
   * JSch sends a keepalive each time its socket's read timeout passes without a packet: during an
   * exchange after the exchange's timeout, between rounds only after {@link
   * SshConnector#IDLE_READ_TIMEOUT}. The session stays usable either way.
   */
  @Test
  void aKeptSessionSendsNoKeepalivesBetweenRounds() throws Exception {
    SshConnector quick =
        new SshConnector(
            pins, MinaSftpServer.USER, MinaSftpServer.PASSWORD, Duration.ofMillis(300));
    try (SftpRemote kept = quick.open(peer())) {
      kept.active();
      kept.manifest();
      long before = kept.bytesSent();
      Thread.sleep(1_000); // three timeouts of 300 ms: three keepalives
      assertThat(kept.bytesSent()).isGreaterThan(before);

      kept.idle();
      Thread.sleep(500); // the read under way ends with the 300 ms it began with
      long idle = kept.bytesSent();
      Thread.sleep(1_000);
      assertThat(kept.bytesSent()).isEqualTo(idle);

      kept.active();
      kept.manifest();
      assertThat(kept.isOpen()).isTrue();
      assertThat(kept.bytesSent()).isGreaterThan(idle);
    }
  }

  @Test
  void theFirstKeyIsPinnedUnderThePeerKey() throws Exception {
    String line = Files.readString(pins.file()).trim();
    String[] parts = line.split(" ");
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("swarm-node-id-2");
    assertThat(parts[1]).isEqualTo("ecdsa-sha2-nistp521");
    String served = KeyUtils.getFingerPrint(serverKey(work.resolve("host-key")));
    assertThat(PinnedHostKeys.fingerprint(Base64.getDecoder().decode(parts[2])))
        .isEqualTo(served)
        .startsWith("SHA256:");
    assertThat(pins.pinned("swarm-node-id-2").orElseThrow().fingerprint()).isEqualTo(served);
  }

  @Test
  void wrongPasswordIsRefusedWithoutShowingIt() {
    SshConnector wrong = new SshConnector(pins, MinaSftpServer.USER, "not-the-password", TIMEOUT);
    assertThatThrownBy(() -> wrong.open(peer()))
        .isInstanceOf(ReplicationException.class)
        .hasMessage(
            prefix()
                + "password refused for user app-metrics-proxy; is SSHPASS the same on every node?")
        .hasMessageNotContaining("not-the-password");
    assertThat(wrong.toString()).doesNotContain("not-the-password");
  }

  @Test
  void aChangedHostKeyIsRefusedUntilItsLineIsRemoved() throws Exception {
    Path dir = Files.createDirectories(work.resolve("changed"));
    Path root = Files.createDirectories(dir.resolve("store"));
    PinnedHostKeys own = new PinnedHostKeys(dir.resolve("known_peers"));
    SshConnector connector =
        new SshConnector(own, MinaSftpServer.USER, MinaSftpServer.PASSWORD, TIMEOUT);
    int port;
    try (MinaSftpServer first = MinaSftpServer.start(dir.resolve("key-1"), root)) {
      port = first.port();
      connector.open(peer(port)).close();
      connector.open(peer(port)).close();
    }
    String pinned = Files.readString(own.file());
    try (MinaSftpServer second =
        MinaSftpServer.start(port, dir.resolve("key-2"), root, true, true)) {
      String was = KeyUtils.getFingerPrint(serverKey(dir.resolve("key-1")));
      String now = KeyUtils.getFingerPrint(serverKey(dir.resolve("key-2")));
      assertThat(now).isNotEqualTo(was);
      assertThatThrownBy(() -> connector.open(peer(port)))
          .isInstanceOf(ReplicationException.class)
          .hasMessage(
              "peer node-2 (127.0.0.1:"
                  + port
                  + "): host key changed: pinned ecdsa-sha2-nistp521 "
                  + was
                  + ", offered ecdsa-sha2-nistp521 "
                  + now
                  + ". If the peer's key changed on purpose, remove the line starting with"
                  + " \"swarm-node-id-2\" from "
                  + own.file()
                  + "; the next exchange pins the new key.");
      assertThat(own.file()).hasContent(pinned);

      Files.writeString(own.file(), "");
      connector.open(peer(port)).close();
      assertThat(own.pinned("swarm-node-id-2").orElseThrow().fingerprint()).isEqualTo(now);
    }
  }

  @Test
  void pinsOfOtherPeersAreKept() throws Exception {
    Path file = work.resolve("others/known_peers");
    PinnedHostKeys own = new PinnedHostKeys(file);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "# pinned by app-metrics-proxy\nother-node ssh-ed25519 AAAA\n");
    new SshConnector(own, MinaSftpServer.USER, MinaSftpServer.PASSWORD, TIMEOUT)
        .open(peer())
        .close();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(lines.subList(0, 2))
        .containsExactly("# pinned by app-metrics-proxy", "other-node ssh-ed25519 AAAA");
    assertThat(lines.get(2)).startsWith("swarm-node-id-2 ecdsa-sha2-nistp521 AAAA");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aServerWithoutSftpIsReported() throws IOException {
    Path dir = Files.createDirectories(work.resolve("nosftp"));
    PinnedHostKeys own = new PinnedHostKeys(dir.resolve("known_peers"));
    SshConnector connector =
        new SshConnector(own, MinaSftpServer.USER, MinaSftpServer.PASSWORD, TIMEOUT);
    try (MinaSftpServer noSftp = MinaSftpServer.start(0, dir.resolve("key"), dir, false, true)) {
      assertThatThrownBy(() -> connector.open(peer(noSftp.port())))
          .isInstanceOf(ReplicationException.class)
          .hasMessageStartingWith(
              "peer node-2 (127.0.0.1:"
                  + noSftp.port()
                  + "): the SSH server refused the SFTP subsystem: ");
    }
  }

  @Test
  void aClosedPortIsConnectionRefused() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(() -> connector().open(peer(port)))
        .isInstanceOf(ReplicationException.class)
        .hasMessage("peer node-2 (127.0.0.1:" + port + "): connection refused");
  }

  @Test
  void aSilentPeerTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      int port = silent.getLocalPort();
      assertThatThrownBy(() -> connector().open(peer(port)))
          .isInstanceOf(ReplicationException.class)
          .hasMessage("peer node-2 (127.0.0.1:" + port + "): no answer within 1 s");
    }
  }

  @Test
  void aFullAcceptQueueIsAConnectTimeout() throws IOException {
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = full.getLocalPort();
      try {
        for (int i = 0; i < 20; i++) {
          Socket filler = new Socket();
          fillers.add(filler);
          filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
        }
        throw new AssertionError("the accept queue never filled up");
      } catch (SocketTimeoutException expected) {
        // the queue is full: the next SYN goes unanswered
      }
      SshConnector quick =
          new SshConnector(
              pins, MinaSftpServer.USER, MinaSftpServer.PASSWORD, Duration.ofMillis(500));
      assertThatThrownBy(() -> quick.open(peer(port)))
          .isInstanceOf(ReplicationException.class)
          .hasMessage("peer node-2 (127.0.0.1:" + port + "): connect timed out after 500 ms");
    } finally {
      for (Socket filler : fillers) {
        filler.close();
      }
    }
  }

  static java.security.PublicKey serverKey(Path keyFile) throws Exception {
    return new SimpleGeneratorHostKeyProvider(keyFile).loadKeys(null).iterator().next().getPublic();
  }
}
