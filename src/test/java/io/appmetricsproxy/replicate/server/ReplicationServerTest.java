package io.appmetricsproxy.replicate.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelShell;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SocketFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationServerTest {
  private static final String USER = "replicator";
  private static final String PASSWORD = "Sw0rdfish-7c1e9a";
  private static final int DENIED = ChannelSftp.SSH_FX_PERMISSION_DENIED;

  @TempDir Path tmp;
  private Path root;
  private Path keyFile;
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final ArrivalListener listener =
      new ArrivalListener() {
        @Override
        public void arrived(String node, String file) {
          calls.add("arrived " + node + "/" + file);
        }

        @Override
        public void removed(String node, String file) {
          calls.add("removed " + node + "/" + file);
        }

        @Override
        public void touched(String node, String file) {
          calls.add("touched " + node + "/" + file);
        }

        @Override
        public void manifest(byte[] bytes) {
          calls.add("manifest " + new String(bytes, UTF_8).trim());
        }
      };
  private ReplicationServer server;
  private final List<Session> sessions = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    root = tmp.resolve("store");
    keyFile = tmp.resolve("keys/sub/host_key");
    Files.createDirectories(root.resolve("self"));
    Files.createDirectories(root.resolve("peer"));
    Files.writeString(root.resolve(".node"), "self\n");
    Files.writeString(root.resolve("self/s.entry"), "own entry");
    Files.writeString(root.resolve("peer/a.entry"), "old a");
    Files.writeString(tmp.resolve("outside.txt"), "secret outside");
    server = ReplicationServer.start(settings(), listener);
  }

  @AfterEach
  void stop() {
    sessions.forEach(Session::disconnect);
    if (server != null) {
      server.close();
    }
  }

  private ServerSettings settings() {
    return new ServerSettings(
        "127.0.0.1", 0, USER, PASSWORD, keyFile, root, () -> Optional.of("self"));
  }

  @Test
  void uploadsUnderATempNameAndRenamesOverTheEntry() throws Exception {
    ChannelSftp sftp = sftp();
    sftp.put(new ByteArrayInputStream("new a".getBytes(UTF_8)), "/peer/.a.entry.part-x1");
    assertThat(calls).isEmpty();
    assertThat(root.resolve("peer/a.entry")).hasContent("old a");

    sftp.rename("/peer/.a.entry.part-x1", "/peer/a.entry"); // JSch: posix-rename@openssh.com

    assertThat(root.resolve("peer/a.entry")).hasContent("new a");
    assertThat(files()).doesNotContainKey("peer/.a.entry.part-x1");
    assertThat(calls).containsExactly("arrived peer/a.entry");
  }

  @Test
  void aManifestIsReadAndAnUploadedOneIsTakenNotRenamedOverIt() throws Exception {
    Files.writeString(root.resolve(".manifest"), "the node's own");
    ChannelSftp sftp = sftp();
    assertThat(read(sftp, "/.manifest")).isEqualTo("the node's own");

    sftp.put(new ByteArrayInputStream("offered".getBytes(UTF_8)), "/.manifest.part-m1");
    sftp.rename("/.manifest.part-m1", "/.manifest");

    assertThat(calls).containsExactly("manifest offered");
    assertThat(root.resolve(".manifest")).hasContent("the node's own");
    assertThat(files()).doesNotContainKey(".manifest.part-m1");
    // written in place, or an upload renamed elsewhere: refused
    assertThatThrownBy(() -> sftp.put(new ByteArrayInputStream("x".getBytes(UTF_8)), "/.manifest"))
        .isInstanceOf(SftpException.class);
    sftp.put(new ByteArrayInputStream("x".getBytes(UTF_8)), "/.manifest.part-m2");
    assertThatThrownBy(() -> sftp.rename("/.manifest.part-m2", "/peer/a.entry"))
        .isInstanceOf(SftpException.class);
    sftp.rm("/.manifest.part-m2");
    assertThat(files()).doesNotContainKey(".manifest.part-m2");
    assertThat(root.resolve("peer/a.entry")).hasContent("old a");
  }

  @Test
  void plainSftpV3RenameAlsoReplacesTheEntry() throws Exception {
    ChannelSftp sftp = sftp();
    Field posixRename = ChannelSftp.class.getDeclaredField("extension_posix_rename");
    posixRename.setAccessible(true);
    posixRename.setBoolean(sftp, false); // so that JSch sends a bare SSH_FXP_RENAME
    sftp.put(new ByteArrayInputStream("v3 a".getBytes(UTF_8)), "/peer/.a.entry.part-v3");

    sftp.rename("/peer/.a.entry.part-v3", "/peer/a.entry");

    assertThat(root.resolve("peer/a.entry")).hasContent("v3 a");
    assertThat(calls).containsExactly("arrived peer/a.entry");
  }

  @Test
  void readsListsRemovesAndTouches() throws Exception {
    Files.writeString(root.resolve("peer/b.entry"), "b");
    ChannelSftp sftp = sftp();
    assertThat(read(sftp, "/.node")).isEqualTo("self\n");
    assertThat(read(sftp, "/self/s.entry")).isEqualTo("own entry");
    assertThat(names(sftp, "/")).containsExactlyInAnyOrder(".", ".node", "peer", "self");
    assertThat(names(sftp, "/peer")).containsExactlyInAnyOrder(".", "..", "a.entry", "b.entry");

    sftp.rm("/peer/a.entry");
    sftp.setMtime("/peer/b.entry", 1_700_000_000);
    sftp.mkdir("/newnode");

    assertThat(root.resolve("peer/a.entry")).doesNotExist();
    assertThat(Files.getLastModifiedTime(root.resolve("peer/b.entry")))
        .isEqualTo(FileTime.fromMillis(1_700_000_000_000L));
    assertThat(root.resolve("newnode")).isDirectory();
    assertThat(calls).containsExactly("removed peer/a.entry", "touched peer/b.entry");
  }

  @Test
  void aFailingListenerFailsTheRequestButNotTheSession() throws Exception {
    server.close();
    ArrivalListener failing =
        new ArrivalListener() {
          @Override
          public void arrived(String node, String file) {
            throw new IllegalStateException("bad entry");
          }

          @Override
          public void removed(String node, String file) {}

          @Override
          public void touched(String node, String file) {}
        };
    server = ReplicationServer.start(settings(), failing);
    ChannelSftp sftp = sftp();
    sftp.put(new ByteArrayInputStream("x".getBytes(UTF_8)), "/peer/.a.entry.part-f");

    assertThatThrownBy(() -> sftp.rename("/peer/.a.entry.part-f", "/peer/a.entry"))
        .isInstanceOfSatisfying(
            SftpException.class, e -> assertThat(e.id).isEqualTo(ChannelSftp.SSH_FX_FAILURE));
    assertThat(read(sftp, "/peer/a.entry")).isEqualTo("x");
  }

  @Test
  void refusesAWrongPasswordAfterADelay() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> connect(USER, PASSWORD + "x"))
        .isInstanceOf(JSchException.class)
        .hasMessageContaining("Auth fail");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void refusesAWrongUser() {
    assertThatThrownBy(() -> connect("root", PASSWORD))
        .isInstanceOf(JSchException.class)
        .hasMessageContaining("Auth fail");
  }

  @Test
  void refusesExecShellAndForwarding() throws Exception {
    Session session = connect(USER, PASSWORD);
    ChannelExec exec = (ChannelExec) session.openChannel("exec");
    exec.setCommand("touch " + tmp.resolve("pwned"));
    assertThatThrownBy(() -> exec.connect(5000)).isInstanceOf(JSchException.class);
    ChannelShell shell = (ChannelShell) session.openChannel("shell");
    assertThatThrownBy(() -> shell.connect(5000)).isInstanceOf(JSchException.class);
    ChannelDirectTCPIP direct = (ChannelDirectTCPIP) session.openChannel("direct-tcpip");
    direct.setHost("127.0.0.1");
    direct.setPort(server.port());
    assertThatThrownBy(() -> direct.connect(5000)).isInstanceOf(JSchException.class);
    assertThatThrownBy(() -> session.setPortForwardingR(0, "127.0.0.1", server.port()))
        .isInstanceOf(JSchException.class);
    absorbLateInterrupt();
    assertThat(tmp.resolve("pwned")).doesNotExist();
    assertThat(session.isConnected()).isTrue();
    // the session goes on serving SFTP
    assertThat(read(sftp(session), "/.node")).isEqualTo("self\n");
  }

  /**
   * JSch hands the reply to a global request (the remote forwarding) to the waiting thread by
   * interrupting it, at times only after setPortForwardingR has returned: that stray interrupt
   * ended this thread's next wait, the channel open ("channel is not opened", 1 run in 10).
   */
  private static void absorbLateInterrupt() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException late) {
      // the reply's interrupt
    }
    Thread.interrupted();
  }

  @Test
  void refusesEverythingOutsideTheLayout() throws Exception {
    ChannelSftp sftp = sftp();
    Files.writeString(root.resolve("peer/notes.txt"), "not an entry");
    Map<String, String> before = files();
    List<SftpCall> refused =
        List.of(
            s -> s.get("../outside.txt", new ByteArrayOutputStream()),
            s -> s.get("/../../../../../etc/passwd", new ByteArrayOutputStream()),
            s -> s.get("/etc/passwd", new ByteArrayOutputStream()),
            s -> s.stat("/peer/notes.txt"), // exists, but is no entry
            s -> s.lstat("/../peer/notes.txt"),
            s -> put(s, "/self/.s.entry.part-a1", "x"),
            s -> put(s, "/self/.n.entry.part-a1", "x"),
            s -> s.rm("/self/s.entry"),
            s -> s.setMtime("/self/s.entry", 1),
            s -> put(s, "/.node", "evil"),
            s -> s.rm("/.node"),
            s -> s.get("/peer/notes.txt", new ByteArrayOutputStream()),
            s -> put(s, "/peer/notes.txt", "x"),
            s -> put(s, "/peer/new.txt", "x"),
            s -> put(s, "/peer/a.entry", "in place"),
            s -> put(s, "/peer/.a.entry.part-", "bad suffix"),
            s -> put(s, "/.x.entry.part-a1", "x"),
            s -> put(s, "/../.x.entry.part-a1", "x"),
            s -> s.mkdir("/peer/sub"),
            s -> s.mkdir("/.hidden"),
            s -> s.rmdir("/peer"),
            s -> s.symlink("/peer/a.entry", "/peer/link.entry"),
            s -> s.symlink("/etc/passwd", "/peer/passwd.entry"),
            s -> s.hardlink("/peer/a.entry", "/peer/hard.entry"),
            s -> s.rename("/peer/a.entry", "/peer/b.entry"),
            s -> s.chmod(0777, "/peer/a.entry"),
            s -> s.chown(0, "/peer/a.entry"));
    for (int i = 0; i < refused.size(); i++) {
      assertThat(failure(sftp, refused.get(i))).as("call #%d", i).isEqualTo(DENIED);
    }
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void renamesOnlyATempFileIntoItsOwnEntry() throws Exception {
    ChannelSftp sftp = sftp();
    Files.createDirectories(root.resolve("other"));
    put(sftp, "/peer/.a.entry.part-r1", "new a");
    Map<String, String> before = files();
    for (String target : List.of("/peer/b.entry", "/other/a.entry", "/self/a.entry", "/a.entry")) {
      assertThatThrownBy(() -> sftp.rename("/peer/.a.entry.part-r1", target))
          .isInstanceOfSatisfying(SftpException.class, e -> assertThat(e.id).isEqualTo(DENIED));
    }
    assertThat(files()).isEqualTo(before);
    assertThat(calls).isEmpty();
  }

  @Test
  void refusesAllWritesWhileTheOwnNodeIsUnknown() throws Exception {
    server.close();
    server =
        ReplicationServer.start(
            new ServerSettings("127.0.0.1", 0, USER, PASSWORD, keyFile, root, Optional::empty),
            listener);
    ChannelSftp sftp = sftp();
    assertThatThrownBy(() -> put(sftp, "/peer/.a.entry.part-u1", "x"))
        .isInstanceOfSatisfying(SftpException.class, e -> assertThat(e.id).isEqualTo(DENIED));
    assertThat(read(sftp, "/peer/a.entry")).isEqualTo("old a");
  }

  @Test
  void doesNotFollowSymlinksPlantedInTheTree() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(outside.resolve("x.entry"), "secret");
    Files.createSymbolicLink(root.resolve("peer/leak.entry"), tmp.resolve("outside.txt"));
    Files.createSymbolicLink(root.resolve("evil"), outside);
    ChannelSftp sftp = sftp();

    assertThat(names(sftp, "/")).doesNotContain("evil");
    assertThat(names(sftp, "/peer")).doesNotContain("leak.entry");
    List<SftpCall> attempts =
        List.of(
            s -> s.get("/peer/leak.entry", new ByteArrayOutputStream()),
            s -> s.get("/evil/x.entry", new ByteArrayOutputStream()),
            s -> s.stat("/evil/x.entry"),
            s -> put(s, "/evil/.x.entry.part-s1", "x"),
            s -> s.rm("/evil/x.entry"));
    for (int i = 0; i < attempts.size(); i++) {
      assertThat(failure(sftp, attempts.get(i))).as("call #%d", i).isEqualTo(DENIED);
    }
    assertThat(sftp.ls("/evil")).isEmpty(); // JSch lists "/" for the name: the link is hidden
    assertThat(sftp.lstat("/peer/leak.entry").isLink()).isTrue(); // the link itself, not its target
    assertThat(outside.resolve("x.entry")).hasContent("secret");
    assertThat(Files.list(outside)).hasSize(1);
  }

  @Test
  void dropsTheTempFilesOfAKilledClient() throws Exception {
    AtomicReference<Socket> socket = new AtomicReference<>();
    Session session = session(USER, PASSWORD);
    session.setSocketFactory(
        new SocketFactory() {
          @Override
          public Socket createSocket(String host, int port) throws IOException {
            socket.set(new Socket(host, port));
            return socket.get();
          }

          @Override
          public InputStream getInputStream(Socket s) throws IOException {
            return s.getInputStream();
          }

          @Override
          public OutputStream getOutputStream(Socket s) throws IOException {
            return s.getOutputStream();
          }
        });
    session.connect(5000);
    ChannelSftp sftp = sftp(session);
    Path temp = root.resolve("peer/.k.entry.part-z9");
    OutputStream out = sftp.put("/peer/.k.entry.part-z9");
    out.write(new byte[10_000]);
    out.flush();
    await(() -> Files.exists(temp) && size(temp) > 0);

    socket.get().close(); // no SSH goodbye, no SFTP close

    await(() -> !Files.exists(temp));
    assertThat(root.resolve("peer/a.entry")).hasContent("old a");
  }

  @Test
  void keepsItsHostKeyAcrossRestarts() throws Exception {
    String fingerprint = server.fingerprint();
    assertThat(fingerprint).matches("SHA256:[A-Za-z0-9+/]{43}");
    assertThat(Files.getPosixFilePermissions(keyFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(connect(USER, PASSWORD).getHostKey().getType()).isEqualTo("ecdsa-sha2-nistp256");
    server.close();

    server = ReplicationServer.start(settings(), listener);

    assertThat(server.fingerprint()).isEqualTo(fingerprint);
    assertThat(read(sftp(), "/.node")).isEqualTo("self\n");
  }

  @Test
  void neverLogsThePassword() throws Exception {
    String wrong = "Wr0ngHorse-" + PASSWORD.hashCode();
    List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setLevel(Level.ALL);
    Logger rootLogger = Logger.getLogger("");
    Level level = rootLogger.getLevel();
    rootLogger.setLevel(Level.ALL);
    rootLogger.addHandler(handler);
    try {
      put(sftp(), "/peer/.a.entry.part-l1", "logged");
      sftp().rename("/peer/.a.entry.part-l1", "/peer/a.entry");
      assertThatThrownBy(() -> put(sftp(), "/self/.s.entry.part-l2", "x"))
          .isInstanceOf(SftpException.class);
      assertThatThrownBy(() -> connect(USER, wrong)).isInstanceOf(JSchException.class);
      assertThatThrownBy(() -> connect("nobody", PASSWORD)).isInstanceOf(JSchException.class);
      server.close();
    } finally {
      rootLogger.removeHandler(handler);
      rootLogger.setLevel(level);
    }
    SimpleFormatter formatter = new SimpleFormatter();
    String all;
    synchronized (records) {
      all = records.stream().map(formatter::format).collect(Collectors.joining());
    }
    assertThat(records).hasSizeGreaterThan(20); // really at Level.ALL: sshd's debug lines too
    assertThat(all)
        .contains("Refused writing /self/.s.entry.part-l2 for replicator@")
        .contains("wrong password")
        .contains("unknown user")
        .doesNotContain(PASSWORD)
        .doesNotContain(wrong);
  }

  @Test
  void settingsNeverShowThePassword() {
    assertThat(settings().toString())
        .contains("user=replicator", "password=***")
        .doesNotContain(PASSWORD);
  }

  @Test
  void leavesNoThreadBehind() throws Exception {
    ChannelSftp sftp = sftp();
    read(sftp, "/.node");
    OutputStream upload = sftp.put("/peer/.a.entry.part-t1"); // a transfer still open
    upload.write(new byte[100]);
    upload.flush();
    assertThat(serverThreads()).anyMatch(n -> n.contains("SftpSubsystem")).hasSizeGreaterThan(2);

    server.close(); // the client still connected
    server = null;

    await(() -> serverThreads().isEmpty()); // in practice at once; bounded for a loaded machine
    assertThat(serverThreads()).isEmpty();
  }

  private static Set<String> serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("sshd-"))
        .collect(Collectors.toSet());
  }

  @FunctionalInterface
  private interface SftpCall {
    void run(ChannelSftp sftp) throws Exception;
  }

  /** The SFTP status the call failed with, or -1 when it did not fail. */
  private static int failure(ChannelSftp sftp, SftpCall call) throws Exception {
    try {
      call.run(sftp);
      return -1;
    } catch (SftpException e) {
      return e.id;
    }
  }

  private Session session(String user, String password) throws JSchException {
    Session session = new JSch().getSession(user, "127.0.0.1", server.port());
    session.setPassword(password);
    session.setConfig("StrictHostKeyChecking", "no");
    session.setConfig("PreferredAuthentications", "password");
    sessions.add(session);
    return session;
  }

  private Session connect(String user, String password) throws JSchException {
    Session session = session(user, password);
    session.connect(10_000);
    return session;
  }

  private ChannelSftp sftp() throws JSchException {
    return sftp(connect(USER, PASSWORD));
  }

  private static ChannelSftp sftp(Session session) throws JSchException {
    ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
    sftp.connect(5000);
    return sftp;
  }

  private static void put(ChannelSftp sftp, String path, String content) throws SftpException {
    sftp.put(new ByteArrayInputStream(content.getBytes(UTF_8)), path);
  }

  private static String read(ChannelSftp sftp, String path) throws SftpException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sftp.get(path, out);
    return out.toString(UTF_8);
  }

  private static List<String> names(ChannelSftp sftp, String path) throws SftpException {
    List<String> names = new ArrayList<>();
    for (Object e : sftp.ls(path)) {
      names.add(((ChannelSftp.LsEntry) e).getFilename());
    }
    return names;
  }

  /** Every file and folder under the temp folder (the store and what lies beside it). */
  private Map<String, String> files() throws IOException {
    try (Stream<Path> all = Files.walk(tmp)) {
      Map<String, String> files = new TreeMap<>();
      all.filter(p -> !p.startsWith(keyFile.getParent()))
          .forEach(
              p -> {
                String key = root.relativize(p).toString();
                try {
                  files.put(
                      key,
                      Files.isRegularFile(p)
                          ? Files.readString(p) + " @" + Files.getLastModifiedTime(p).toMillis()
                          : Files.isSymbolicLink(p) ? "link" : "dir");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      return files;
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException ignored) {
      return -1;
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 15 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
