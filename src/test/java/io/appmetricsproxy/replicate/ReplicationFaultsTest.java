package io.appmetricsproxy.replicate;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import io.appmetricsproxy.config.ReplicationSettings;
import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.Peers;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.replicate.server.ReplicationServer;
import io.appmetricsproxy.status.ReplicationReport;
import io.appmetricsproxy.status.ReplicationReport.PeerReport;
import io.appmetricsproxy.store.Store;
import io.appmetricsproxy.testing.SmallDisk;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication under attack and faults, over real SSH on loopback: password guessing, too many
 * connections, a peer that never speaks SSH, a peer whose disk is full.
 */
class ReplicationFaultsTest {
  private static final String USER = TestTransports.USER;
  private static final String PASSWORD = "Fault-t0lerant-9f2c";
  private static final Instant NOW = Instant.now();
  private static final Duration MAX_AGE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(closing);
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closed(T c) {
    closing.add(c);
    return c;
  }

  private Store node(String name, Path folder, String... ids) {
    return TestStores.afterCycle(folder, name, NOW, MAX_AGE, ids);
  }

  private SshTransport transport(String name, Store store) {
    return closed(
        TestTransports.start(
            dir.resolve("ssh-" + name),
            store,
            PASSWORD,
            Duration.ofSeconds(1),
            TestTransports.NOT_SERVED));
  }

  private static Peer peer(String name, int port) {
    return new Peer(name + "-id", name, "127.0.0.1", port, Role.WORKER);
  }

  private ReplicationReport round(Store self, SshTransport transport, Peer... peers)
      throws InterruptedException {
    return replicator(self, transport, peers).round();
  }

  /** A manager's replicator with {@code peers}, rounds of 4 s at most. */
  private Replicator replicator(Store self, SshTransport transport, Peer... peers) {
    return closed(
        new Replicator(
            () -> new Peers(Role.MANAGER, Optional.of("m-id"), List.of(peers), true, List.of()),
            Optional.of(transport.transport()),
            Optional.empty(),
            self,
            1 << 20,
            Duration.ofSeconds(4),
            ReplicationSettings.DEFAULT_CONCURRENCY,
            () -> {},
            Clock.systemUTC()));
  }

  @Test
  void passwordGuessingIsSlowAndEndsAfterThreeTriesPerConnection() throws Exception {
    Store w = node("w", dir.resolve("w"), "w1");
    SshTransport server = transport("w", w);
    List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    Handler handler = capture(refusals);
    AtomicInteger guesses = new AtomicInteger();
    Session session = new JSch().getSession(USER, "127.0.0.1", server.transport().port());
    session.setConfig("StrictHostKeyChecking", "no");
    session.setConfig("PreferredAuthentications", "password");
    session.setConfig("MaxAuthTries", "20");
    session.setUserInfo(new Guesser(guesses));
    long start = System.nanoTime();
    try {
      assertThatThrownBy(() -> session.connect(30_000)).isInstanceOf(JSchException.class);
    } finally {
      Logger.getLogger("io.appmetricsproxy.replicate.server.PasswordCheck").removeHandler(handler);
      session.disconnect();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // the client would have gone on guessing: the server ended the connection after three
    assertThat(guesses.get()).isGreaterThan(ReplicationServer.MAX_AUTH_ATTEMPTS);
    assertThat(refusals).hasSize(ReplicationServer.MAX_AUTH_ATTEMPTS);
    // each refused guess is answered after a second
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900L * refusals.size()));
    assertThat(String.join("\n", refusals)).contains("wrong password").doesNotContain("guess-");
  }

  @Test
  void connectionsBeyondTheCapAreClosedAtOnceAndTheOthersGoOn() throws Exception {
    Store w = node("w", dir.resolve("w"), "w1");
    SshTransport server = transport("w", w);
    int port = server.transport().port();
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < ReplicationServer.MAX_SESSIONS; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        held.add(s);
        assertThat(banner(s)).as("connection %d", i).startsWith("SSH-2.0-app-metrics-proxy");
      }
      try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertThat(banner(extra)).as("connection over the cap").isEmpty();
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Store m = node("m", dir.resolve("m"), "m1");
    Thread.sleep(500); // the server notices the closed connections
    ReplicationReport report = round(m, transport("m", m), peer("w", port));
    assertThat(report.peers()).singleElement().satisfies(p -> assertThat(p.error()).isEmpty());
  }

  @Test
  void aPeerThatNeverSpeaksSshTimesOutAndHoldsUpNoOther() throws Exception {
    ServerSocket silent = closed(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(silent.accept());
                }
              } catch (IOException ignored) {
                // closed at the end of the test
              }
            },
            "silent-peer");
    acceptor.start();
    Store w = node("w", dir.resolve("w"), "w1");
    SshTransport worker = transport("w", w);
    Store m = node("m", dir.resolve("m"), "m1");
    long start = System.nanoTime();

    ReplicationReport report =
        round(
            m,
            transport("m", m),
            peer("silent", silent.getLocalPort()),
            peer("w", worker.transport().port()));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(report.peers())
        .extracting(PeerReport::name, p -> p.error().orElse("up"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "silent",
                "peer silent (127.0.0.1:" + silent.getLocalPort() + "): no answer within 1 s"),
            org.assertj.core.groups.Tuple.tuple("w", "up"));
    assertThat(snapshot(m, NOW, MAX_AGE).get("app").orElseThrow().entries()).hasSize(2);
    // the client hung up: no connection is left open to the silent peer
    assertThat(accepted).isNotEmpty();
    for (Socket s : accepted) {
      s.setSoTimeout(5000);
      assertThat(drain(s.getInputStream())).as("closed by the client").isTrue();
      s.close();
    }
    silent.close();
    acceptor.join(5000);
  }

  /**
   * A kept session whose peer goes silent between rounds (a relay that stops forwarding, as a node
   * that froze or a link that dropped without a word): between rounds the session reads with a
   * timeout of minutes, and the next round's exchange with that peer still ends after {@code
   * REPLICATION_TIMEOUT} of silence, with that reason, within the round.
   */
  @Test
  void aKeptSessionWhosePeerWentSilentBetweenRoundsEndsWithinTheTimeout() throws Exception {
    Store w = node("w", dir.resolve("w"), "w1");
    SshTransport worker = transport("w", w);
    Relay relay = closed(new Relay(worker.transport().port()));
    Store m = node("m", dir.resolve("m"), "m1");
    SshTransport manager = transport("m", m);
    Replicator replicator = replicator(m, manager, peer("w", relay.port()));
    assertThat(replicator.round().peers().get(0).error()).isEmpty();
    assertThat(w.confirmation("m")).isEqualTo(m.confirmation("m"));
    // between rounds: the read under way ends after the exchange's 1 s, the next waits 2 minutes
    Thread.sleep(2_500);

    relay.freeze();
    long start = System.nanoTime();
    ReplicationReport silent = replicator.round();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(silent.peers().get(0).error())
        .hasValueSatisfying(e -> assertThat(e).endsWith("no answer within 1 s"));
    assertThat(relay.connections()).as("one kept session, not a new one per round").isEqualTo(1);
  }

  /** Forwards TCP to a port on loopback until frozen; then holds what comes, and sends nothing. */
  private static final class Relay implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean frozen;

    Relay(int target) throws IOException {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket in = server.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(in);
                    sockets.add(out);
                    pump(in, out);
                    pump(out, in);
                  }
                } catch (IOException ignored) {
                  // closed at the end of the test
                }
              },
              "relay");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[8192];
                try {
                  for (int n; (n = from.getInputStream().read(b)) > 0; ) {
                    while (frozen) {
                      Thread.sleep(10);
                    }
                    to.getOutputStream().write(b, 0, n);
                  }
                } catch (IOException | InterruptedException ignored) {
                  // one side closed
                }
              },
              "relay-pump");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    /** Connections made through it (each is two sockets). */
    int connections() {
      return sockets.size() / 2;
    }

    void freeze() {
      frozen = true;
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (sockets) {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  @Test
  void aPeerWithAFullDiskIsAClearErrorAndTheOthersGetTheirEntries() throws Exception {
    Path fullFolder = dir.resolve("full");
    SmallDisk disk = closed(SmallDisk.mount(fullFolder, 256));
    Store full = node("full", fullFolder, "f1");
    SshTransport fullServer = transport("full", full);
    Store w = node("w", dir.resolve("w"), "w1");
    SshTransport worker = transport("w", w);
    Store m = node("m", dir.resolve("m"), "m1", "m2");
    disk.fill("filler");

    ReplicationReport report =
        round(
            m,
            transport("m", m),
            peer("full", fullServer.transport().port()),
            peer("w", worker.transport().port()));

    assertThat(report.peers().get(0).error())
        .hasValueSatisfying(
            e ->
                assertThat(e)
                    .contains("peer full (127.0.0.1:")
                    // the folders travel in the upload of the manifest, which the disk cannot hold
                    .contains(
                        "write .manifest: SSH_FX_FAILURE: General failure: No space left on device")
                    .doesNotContain(fullFolder.toString()));
    assertThat(report.peers().get(1).error()).isEmpty();
    assertThat(snapshot(m, NOW, MAX_AGE).get("app").orElseThrow().entries()).hasSize(4);
    assertThat(snapshot(w, NOW, MAX_AGE).get("app").orElseThrow().entries()).hasSize(4);
  }

  /** The server's identification line, or "" when it closed the connection without one. */
  private static String banner(Socket s) throws IOException {
    s.setSoTimeout(5000);
    InputStream in = s.getInputStream();
    StringBuilder line = new StringBuilder();
    try {
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      return line.toString();
    }
    return line.toString().trim();
  }

  /** Reads until the peer closes; false if it kept the connection open for 5 s. */
  private static boolean drain(InputStream in) throws IOException {
    try {
      while (in.read(new byte[4096]) >= 0) {
        // what the client sent before it gave up
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private static Handler capture(List<String> messages) {
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getMessage().startsWith("Refused a login")) {
              messages.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setLevel(Level.ALL);
    Logger.getLogger("io.appmetricsproxy.replicate.server.PasswordCheck").addHandler(handler);
    return handler;
  }

  /** A client that tries one new password each time it is asked. */
  private record Guesser(AtomicInteger guesses) implements UserInfo {
    @Override
    public String getPassphrase() {
      return null;
    }

    @Override
    public String getPassword() {
      return "guess-" + guesses.get();
    }

    @Override
    public boolean promptPassword(String message) {
      guesses.incrementAndGet();
      return true;
    }

    @Override
    public boolean promptPassphrase(String message) {
      return false;
    }

    @Override
    public boolean promptYesNo(String message) {
      return true;
    }

    @Override
    public void showMessage(String message) {}
  }
}
