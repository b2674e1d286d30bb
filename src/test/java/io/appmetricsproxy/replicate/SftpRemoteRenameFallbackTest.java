package io.appmetricsproxy.replicate;

import io.appmetricsproxy.discover.Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The contract against a server without posix-rename, where a write deletes, then renames. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftpRemoteRenameFallbackTest extends SftpRemoteContract {
  private Path work;
  private MinaSftpServer server;
  private PinnedHostKeys pins;

  @BeforeAll
  void startServer() throws IOException {
    work = Files.createTempDirectory("sftp-fallback-test");
    Files.createDirectories(work.resolve("store"));
    server = MinaSftpServer.start(0, work.resolve("host-key"), work.resolve("store"), true, false);
    pins = new PinnedHostKeys(work.resolve("known_peers"));
  }

  @AfterAll
  void stopServer() throws IOException {
    server.close();
    deleteTree(work);
  }

  @Override
  Peer peer() {
    return SftpRemoteTest.peer(server.port());
  }

  @Override
  Path storeRoot() {
    return work.resolve("store");
  }

  @Override
  SshConnector connector() {
    return new SshConnector(
        pins, MinaSftpServer.USER, MinaSftpServer.PASSWORD, Duration.ofSeconds(5));
  }

  @Override
  boolean offersPosixRename() {
    return false;
  }
}
