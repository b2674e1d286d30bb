package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.discover.Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RemoteStore cases every SFTP server a peer may run must pass; one subclass per server. */
abstract class SftpRemoteContract {
  static final long MTIME = 1_700_000_000L;

  SftpRemote remote;

  /** The peer that reaches the server under test. */
  abstract Peer peer();

  /** The local folder that the server serves as the SFTP root of the store. */
  abstract Path storeRoot();

  abstract SshConnector connector();

  /** Whether the server offers posix-rename@openssh.com. */
  abstract boolean offersPosixRename();

  /** Lets the SFTP user change what the test made as another user; nothing to do by default. */
  void handOver(Path path) throws IOException {}

  @BeforeEach
  void openRemote() throws IOException {
    try (Stream<Path> children = Files.list(storeRoot())) {
      for (Path child : children.toList()) {
        deleteTree(child);
      }
    }
    remote = connector().open(peer());
  }

  @AfterEach
  void closeRemote() {
    if (remote != null) {
      remote.close();
    }
  }

  String prefix() {
    return "peer " + peer().name() + " (" + peer().address() + "): ";
  }

  @Test
  void offersPosixRenameAsExpected() {
    assertThat(remote.posixRename()).isEqualTo(offersPosixRename());
  }

  @Test
  void nodeWhenAbsentSaysSo() {
    assertThatThrownBy(() -> remote.node())
        .isInstanceOf(ReplicationException.class)
        .hasMessage(prefix() + "peer has not written its node name yet (no .node file)");
  }

  @Test
  void theManifestIsJustAFile() throws IOException {
    assertThat(remote.manifest()).isEmpty();
    io.appmetricsproxy.store.Manifest m =
        new io.appmetricsproxy.store.Manifest(
            java.util.Map.of(
                "node-1", new io.appmetricsproxy.store.Manifest.Folder(MTIME, "1700000000123")));

    remote.writeManifest(m.format());
    remote.writeManifest(m.format()); // over the one before

    assertThat(remote.manifest()).contains(m);
    assertThat(Files.readString(storeRoot().resolve(".manifest"))).startsWith("amp-manifest 1 ");
    try (Stream<Path> files = Files.list(storeRoot())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".manifest");
    }
    // a torn one, e.g. written by hand: none
    Files.write(storeRoot().resolve(".manifest"), java.util.Arrays.copyOf(m.format(), 20));
    assertThat(remote.manifest()).isEmpty();
  }

  @Test
  void aManifestLargerThanOneReadIsReadWhole() {
    Map<String, io.appmetricsproxy.store.Manifest.Folder> folders = new java.util.TreeMap<>();
    for (int i = 0; i < 6000; i++) {
      folders.put(
          "node-" + i, new io.appmetricsproxy.store.Manifest.Folder(MTIME - i, "1700000000" + i));
    }
    io.appmetricsproxy.store.Manifest m = new io.appmetricsproxy.store.Manifest(folders);
    assertThat(m.format().length).isGreaterThan(2 * SftpPipeline.READ_LENGTH);

    remote.writeManifest(m.format());

    assertThat(remote.manifest()).contains(m);
  }

  /** An upload of more WRITEs than go at once before their answers are read arrives whole. */
  @Test
  void aLargeUploadArrivesWhole() throws IOException {
    byte[] upload = randomBytes(3 << 20);

    remote.writeManifest(upload);

    assertThat(Files.readAllBytes(storeRoot().resolve(".manifest"))).isEqualTo(upload);
    assertThat(remote.manifest()).isEmpty(); // not a manifest
  }

  @Test
  void aManifestWithMoreAfterItsEndLineIsNone() throws IOException {
    io.appmetricsproxy.store.Manifest m =
        new io.appmetricsproxy.store.Manifest(
            Map.of("node-1", new io.appmetricsproxy.store.Manifest.Folder(MTIME, "1700000000123")));
    byte[] whole = m.format();
    byte[] more = java.util.Arrays.copyOf(whole, whole.length + 8);
    System.arraycopy("end 1\nxy".getBytes(StandardCharsets.US_ASCII), 0, more, whole.length, 8);
    local(storeRoot().resolve(".manifest"), more, MTIME);

    assertThat(remote.manifest()).isEmpty();
  }

  @Test
  void nodeIsTrimmed() throws IOException {
    local(storeRoot().resolve(".node"), "node-9\n".getBytes(StandardCharsets.UTF_8), MTIME);
    assertThat(remote.node()).isEqualTo("node-9");
  }

  @Test
  void nodeRefusesAnInvalidName() throws IOException {
    local(storeRoot().resolve(".node"), "../etc\n".getBytes(StandardCharsets.UTF_8), MTIME);
    assertThatThrownBy(() -> remote.node())
        .hasMessage(prefix() + ".node holds an invalid node name \"../etc\"");
  }

  @Test
  void nodesListsFoldersWithoutDotNames() throws IOException {
    folder("node-b");
    folder("node-a");
    folder(".hidden");
    local(storeRoot().resolve(".node"), "x".getBytes(StandardCharsets.UTF_8), MTIME);
    local(storeRoot().resolve("plain-file"), "x".getBytes(StandardCharsets.UTF_8), MTIME);
    assertThat(remote.nodes()).containsExactly("node-a", "node-b");
  }

  @Test
  void listOfAnAbsentFolderIsEmpty() {
    assertThat(remote.list("node-1")).isEmpty();
  }

  @Test
  void listShowsEntryFilesOnly() throws IOException {
    Path node = folder("node-1");
    local(node.resolve("a.entry"), new byte[] {1, 2, 3}, MTIME);
    local(node.resolve("b.entry"), new byte[0], MTIME + 7);
    local(node.resolve(".c.entry"), new byte[] {1}, MTIME);
    local(node.resolve(".a.entry.part-x1"), new byte[] {1}, MTIME);
    local(node.resolve("d.txt"), new byte[] {1}, MTIME);
    Files.createDirectory(node.resolve("e.entry"));
    assertThat(remote.list("node-1"))
        .containsExactly(
            Map.entry("a.entry", new FileStat(3, MTIME)),
            Map.entry("b.entry", new FileStat(0, MTIME + 7)));
  }

  @Test
  void readReturnsTheBytes() throws IOException {
    byte[] bytes = randomBytes(70_000);
    local(folder("node-1").resolve("a.entry"), bytes, MTIME);
    assertThat(remote.read("node-1", "a.entry", 70_000)).isEqualTo(bytes);
  }

  @Test
  void readRefusesMoreThanMaxBytes() throws IOException {
    local(folder("node-1").resolve("a.entry"), randomBytes(1001), MTIME);
    assertThatThrownBy(() -> remote.read("node-1", "a.entry", 1000))
        .isInstanceOf(ReplicationException.class)
        .hasMessage(prefix() + "node-1/a.entry is 1001 bytes, more than the limit of 1000");
  }

  @Test
  void readOfAnAbsentFileFails() {
    assertThatThrownBy(() -> remote.read("node-1", "a.entry", 1000))
        .isInstanceOf(ReplicationException.class)
        .hasMessage(prefix() + "read node-1/a.entry: no such file");
  }

  @Test
  void theSessionCompressesWhatItSends() {
    StringBuilder exposition = new StringBuilder();
    for (int i = 0; exposition.length() < 200_000; i++) {
      exposition
          .append("requests_total{path=\"/api/v1/item/")
          .append(i)
          .append("\"} ")
          .append(i * 7)
          .append('\n');
    }
    byte[] bytes = exposition.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long before = remote.bytesSent();

    remote.write("node-1", "big.entry", bytes, MTIME);

    // zlib takes such a body to about a tenth; Huffman alone (JSch's own zlib) to about 60 %
    assertThat(remote.bytesSent() - before).isLessThan(bytes.length / 5);
    assertThat(storeRoot().resolve("node-1/big.entry")).hasBinaryContent(bytes);
  }

  @Test
  void writeCreatesTheFolderAndSetsTheMtime() throws IOException {
    byte[] bytes = randomBytes(5000);
    remote.write("node-1", "a.entry", bytes, MTIME);
    Path file = storeRoot().resolve("node-1/a.entry");
    assertThat(file).hasBinaryContent(bytes);
    assertThat(Files.getLastModifiedTime(file).toMillis() / 1000).isEqualTo(MTIME);
    assertThat(remote.list("node-1"))
        .containsExactly(Map.entry("a.entry", new FileStat(5000, MTIME)));
  }

  @Test
  void writeReplacesAnExistingFileByRename() throws IOException {
    local(folder("node-1").resolve("a.entry"), randomBytes(300), MTIME);
    remote.write("node-1", "a.entry", "new".getBytes(StandardCharsets.UTF_8), MTIME + 60);
    remote.write("node-1", "a.entry", "newer".getBytes(StandardCharsets.UTF_8), MTIME + 120);
    assertThat(storeRoot().resolve("node-1/a.entry")).hasContent("newer");
    assertThat(remote.list("node-1"))
        .containsExactly(Map.entry("a.entry", new FileStat(5, MTIME + 120)));
    try (Stream<Path> files = Files.list(storeRoot().resolve("node-1"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.entry");
    }
  }

  @Test
  void writeRefusesAnMtimeSftpCannotCarry() {
    long before = remote.bytesSent();
    assertThatThrownBy(() -> remote.write("node-1", "a.entry", new byte[1], -1))
        .hasMessage(prefix() + "mtime -1 is outside what SFTP v3 can carry");
    assertThat(remote.bytesSent()).isEqualTo(before);
  }

  @Test
  void touchSetsTheMtimeOnly() throws IOException {
    local(folder("node-1").resolve("a.entry"), "same".getBytes(StandardCharsets.UTF_8), MTIME);
    remote.touch("node-1", "a.entry", MTIME + 30);
    Path file = storeRoot().resolve("node-1/a.entry");
    assertThat(file).hasContent("same");
    assertThat(remote.list("node-1"))
        .containsExactly(Map.entry("a.entry", new FileStat(4, MTIME + 30)));
  }

  @Test
  void touchOfAnAbsentFileFails() {
    assertThatThrownBy(() -> remote.touch("node-1", "a.entry", MTIME))
        .hasMessage(prefix() + "touch node-1/a.entry: no such file");
  }

  @Test
  void deleteRemovesAndIgnoresAbsent() throws IOException {
    local(folder("node-1").resolve("a.entry"), new byte[] {1}, MTIME);
    remote.delete("node-1", "a.entry");
    assertThat(storeRoot().resolve("node-1/a.entry")).doesNotExist();
    remote.delete("node-1", "a.entry");
    remote.delete("node-2", "a.entry");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".hidden", "a/b", "", "a b", "-x", "../etc"})
  void invalidNamesAreRefusedBeforeSendingAnything(String name) {
    long before = remote.bytesSent();
    String expected = "\": expected [A-Za-z0-9_][A-Za-z0-9._-]*";
    assertThatThrownBy(() -> remote.list(name))
        .hasMessage(prefix() + "invalid node name \"" + name + expected);
    assertThatThrownBy(() -> remote.write("node-1", name, new byte[1], MTIME))
        .hasMessage(prefix() + "invalid file name \"" + name + expected);
    assertThatThrownBy(() -> remote.read(name, "a.entry", 10))
        .hasMessage(prefix() + "invalid node name \"" + name + expected);
    assertThatThrownBy(() -> remote.delete("node-1", name))
        .isInstanceOf(ReplicationException.class);
    assertThatThrownBy(() -> remote.touch("node-1", name, MTIME))
        .isInstanceOf(ReplicationException.class);
    assertThat(remote.bytesSent()).isEqualTo(before);
  }

  @Test
  void listingAnUnchangedFolderMovesFewBytes() throws IOException {
    Path node = folder("node-1");
    for (int i = 0; i < 50; i++) {
      local(node.resolve("target-" + i + ".entry"), randomBytes(10_000), MTIME);
    }
    assertThat(remote.list("node-1")).hasSize(50);
    long before = remote.bytesSent() + remote.bytesReceived();
    assertThat(remote.list("node-1")).hasSize(50);
    long moved = remote.bytesSent() + remote.bytesReceived() - before;
    assertThat(moved).isPositive().isLessThan(16_000);
  }

  @Test
  void anUploadMovesAtLeastItsBytes() {
    int n = 200_000;
    long sent = remote.bytesSent();
    long received = remote.bytesReceived();
    remote.write("node-1", "a.entry", randomBytes(n), MTIME);
    assertThat(remote.bytesSent() - sent).isGreaterThan(n).isLessThan(n + n / 10);
    assertThat(remote.bytesReceived() - received).isPositive().isLessThan(n / 10);
  }

  @Test
  void severalSessionsWriteConcurrently() throws Exception {
    List<Thread> threads = new java.util.ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      String file = "t" + t + ".entry";
      Thread thread =
          new Thread(
              () -> {
                try (SftpRemote own = connector().open(peer())) {
                  for (int i = 0; i < 5; i++) {
                    own.write("node-1", file, randomBytes(1000 + i), MTIME + i);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "sftp-writer-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    assertThat(failures).isEmpty();
    assertThat(remote.list("node-1"))
        .hasSize(4)
        .allSatisfy((name, stat) -> assertThat(stat).isEqualTo(new FileStat(1004, MTIME + 4)));
  }

  Path folder(String name) throws IOException {
    Path folder = Files.createDirectories(storeRoot().resolve(name));
    handOver(folder);
    return folder;
  }

  void local(Path file, byte[] bytes, long mtimeSeconds) throws IOException {
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeSeconds * 1000));
    handOver(file);
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
