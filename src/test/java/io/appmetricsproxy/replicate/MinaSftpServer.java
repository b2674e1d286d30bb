package io.appmetricsproxy.replicate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/** A minimal in-process SFTP-only server on 127.0.0.1 for tests: password login, one root. */
final class MinaSftpServer implements AutoCloseable {
  static final String USER = "app-metrics-proxy";
  static final String PASSWORD = "s3cret-for-tests";

  private final SshServer server;
  private final List<Integer> requests;

  private MinaSftpServer(SshServer server, List<Integer> requests) {
    this.server = server;
    this.requests = requests;
  }

  /**
   * @param port 0 for any free port
   * @param hostKey file holding the host key, generated when absent
   * @param sftp whether the SFTP subsystem is on
   * @param posixRename whether the server offers {@code posix-rename@openssh.com}
   */
  static MinaSftpServer start(int port, Path hostKey, Path root, boolean sftp, boolean posixRename)
      throws IOException {
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(port);
    server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
    server.setPasswordAuthenticator((u, p, s) -> USER.equals(u) && PASSWORD.equals(p));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    List<Integer> requests = Collections.synchronizedList(new ArrayList<>());
    if (sftp) {
      SftpSubsystemFactory factory = new SftpSubsystemFactory.Builder().build();
      factory.addSftpEventListener(
          new SftpEventListener() {
            @Override
            public void received(ServerSession session, int type, int id) {
              requests.add(type);
            }
          });
      server.setSubsystemFactories(List.of(factory));
    }
    if (!posixRename) {
      SftpModuleProperties.OPENSSH_EXTENSIONS.set(server, "fsync@openssh.com=1");
    }
    server.start();
    return new MinaSftpServer(server, requests);
  }

  static MinaSftpServer start(Path hostKey, Path root) throws IOException {
    return start(0, hostKey, root, true, true);
  }

  /** The types of the SFTP requests received so far (SftpConstants.SSH_FXP_*), in order. */
  List<Integer> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  void forgetRequests() {
    requests.clear();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
