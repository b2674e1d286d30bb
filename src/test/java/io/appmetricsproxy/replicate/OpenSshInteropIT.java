package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.discover.Role;
import io.appmetricsproxy.testing.Prerequisite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract against Debian's OpenSSH: a temporary sshd on 127.0.0.1, SFTP-only and chrooted,
 * with a dedicated user that logs in with a password, as on a node that serves its store by sshd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenSshInteropIT extends SftpRemoteContract {
  private static final String SSHD = "/usr/sbin/sshd";
  private static final String USER = "amp-sftp-it";

  private final String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
  private Path work;
  private Path chroot;
  private Process sshd;
  private int port;
  private boolean userAdded;
  private UserPrincipal owner;
  private PinnedHostKeys pins;

  @BeforeAll
  void startSshd() throws Exception {
    require(
        Files.isExecutable(Path.of(SSHD)), SSHD + " is missing (apt-get install openssh-server)");
    require(Files.isExecutable(Path.of("/usr/sbin/useradd")), "useradd is missing");
    require("root".equals(System.getProperty("user.name")), "the test must run as root");

    work = Files.createTempDirectory("amp-sshd-it");
    // every part of a ChrootDirectory must be root's and writable by nobody else: not /tmp
    chroot = Files.createTempDirectory(Path.of("/run"), "amp-sftp-it-");
    Files.setPosixFilePermissions(chroot, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(Path.of("/run/sshd"));

    if (run("/usr/bin/getent", "passwd", USER).exitCode == 0) {
      run("/usr/sbin/userdel", USER); // left behind by a killed run
    }
    check(
        "/usr/sbin/useradd",
        "--no-create-home",
        "--home-dir",
        "/store",
        "-s",
        "/usr/sbin/nologin",
        USER);
    userAdded = true;
    Result chpasswd =
        runWithInput(USER + ":" + password + "\n", "/usr/sbin/chpasswd"); // not in argv
    if (chpasswd.exitCode != 0) {
      throw new IOException("chpasswd exited " + chpasswd.exitCode + ": " + chpasswd.output);
    }
    owner = chroot.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);

    Path store = Files.createDirectory(chroot.resolve("store"));
    Files.setOwner(store, owner);
    Path hostKey = work.resolve("ssh_host_ed25519_key");
    check("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-f", hostKey.toString(), "-N", "");
    port = freePort();
    Path config = work.resolve("sshd_config");
    Files.writeString(config, config(hostKey));
    check(SSHD, "-t", "-f", config.toString());

    Path log = work.resolve("sshd.log");
    sshd =
        new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitListening(log);
    pins = new PinnedHostKeys(work.resolve("known_peers"));
  }

  @AfterAll
  void stopSshd() throws Exception {
    try {
      if (sshd != null) {
        sshd.destroy(); // SIGTERM to the pid this test started, nothing else
        if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
          sshd.destroyForcibly();
        }
      }
    } finally {
      if (userAdded) {
        run("/usr/sbin/userdel", USER);
      }
      if (chroot != null) {
        deleteTree(chroot);
      }
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  private String config(Path hostKey) {
    return String.join(
        "\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + hostKey,
        "PidFile " + work.resolve("sshd.pid"),
        "UsePAM no",
        "StrictModes no",
        "PasswordAuthentication yes",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication no",
        "AuthorizedKeysFile none",
        "PermitRootLogin no",
        "AllowUsers " + USER,
        "Subsystem sftp internal-sftp",
        "Match User " + USER,
        "  ForceCommand internal-sftp -d /store",
        "  ChrootDirectory " + chroot,
        "  AllowTcpForwarding no",
        "  X11Forwarding no",
        "  PermitTTY no",
        "");
  }

  @Override
  Peer peer() {
    return new Peer("swarm-node-id-7", "node-7", "127.0.0.1", port, Role.WORKER);
  }

  @Override
  Path storeRoot() {
    return chroot.resolve("store");
  }

  @Override
  SshConnector connector() {
    return new SshConnector(pins, USER, password, Duration.ofSeconds(10));
  }

  @Override
  boolean offersPosixRename() {
    return true;
  }

  @Override
  void handOver(Path path) throws IOException {
    Files.setOwner(path, owner);
  }

  @Test
  void theEd25519KeyIsPinned() throws Exception {
    List<String> lines = Files.readAllLines(pins.file());
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("swarm-node-id-7 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5");
    String fingerprint =
        run("/usr/bin/ssh-keygen", "-l", "-f", work.resolve("ssh_host_ed25519_key.pub").toString())
            .output;
    assertThat(fingerprint).contains(pins.pinned("swarm-node-id-7").orElseThrow().fingerprint());
  }

  @Test
  void aWrongPasswordIsRefused() {
    SshConnector wrong = new SshConnector(pins, USER, "wrong", Duration.ofSeconds(10));
    assertThatThrownBy(() -> wrong.open(peer()))
        .hasMessage(
            prefix() + "password refused for user amp-sftp-it; is SSHPASS the same on every node?");
  }

  @Test
  void writeCarriesAnMtimeBeyond2038() throws IOException {
    long late = 4_000_000_000L;
    remote.write("node-1", "a.entry", new byte[] {1}, late);
    assertThat(Files.getLastModifiedTime(storeRoot().resolve("node-1/a.entry")).toMillis() / 1000)
        .isEqualTo(late);
    assertThat(remote.list("node-1")).containsExactly(Map.entry("a.entry", new FileStat(1, late)));
  }

  @Test
  void filesWrittenBelongToTheSftpUser() throws IOException {
    remote.write("node-1", "a.entry", "x".getBytes(StandardCharsets.UTF_8), MTIME);
    assertThat(Files.getOwner(storeRoot().resolve("node-1/a.entry"))).isEqualTo(owner);
  }

  /** Fails under CI (the setup script installs what is missing), skips elsewhere. */
  private static void require(boolean condition, String what) {
    Prerequisite.require(
        condition, "OpenSSH interop test cannot run: " + what + "; see src/test/setup.sh");
  }

  private void awaitListening(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!sshd.isAlive()) {
        throw new AssertionError("sshd exited " + sshd.exitValue() + ": " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("sshd did not listen on " + port + ": " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    return runWithInput("", command);
  }

  private static Result runWithInput(String input, String... command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command[0]);
    }
    return new Result(p.exitValue(), output);
  }

  private static void check(String... command) throws IOException, InterruptedException {
    Result result = run(command);
    if (result.exitCode != 0) {
      throw new IOException(command[0] + " exited " + result.exitCode + ": " + result.output);
    }
  }
}
