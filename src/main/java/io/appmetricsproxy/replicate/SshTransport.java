package io.appmetricsproxy.replicate;

import io.appmetricsproxy.config.Credentials;
import io.appmetricsproxy.config.ReplicationSettings;
import io.appmetricsproxy.replicate.server.ArrivalListener;
import io.appmetricsproxy.replicate.server.ReplicationServer;
import io.appmetricsproxy.replicate.server.ServerSettings;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Replication over SSH on one node: the SFTP server of its shared folder, whose arrivals the store
 * checks before they are served, and the client that opens its peers' folders.
 */
public final class SshTransport implements AutoCloseable {
  static final String HOST_KEY = "host_key";
  static final String PINNED_KEYS = "known_peers";

  private final ReplicationServer server;
  private final SshConnector client;

  private SshTransport(ReplicationServer server, SshConnector client) {
    this.server = server;
    this.client = client;
  }

  /**
   * Starts the server; {@code changed} is called when a peer ended its part of an exchange with
   * folders in the upload of its manifest, {@code soon} when it uploaded confirmations alone, or
   * when a folder it copied file by file is complete ({@code .alive} last), which may come many
   * times in one exchange.
   *
   * @throws ReplicationException when the server cannot start, e.g. its port is taken
   */
  public static SshTransport start(
      ReplicationSettings r, Store store, Runnable changed, Runnable soon) {
    Credentials c = r.credentials().orElseThrow();
    byte[] bytes = c.password();
    String password = new String(bytes, StandardCharsets.UTF_8);
    Arrays.fill(bytes, (byte) 0);
    ReplicationServer server;
    try {
      server =
          ReplicationServer.start(
              new ServerSettings(
                  "0.0.0.0",
                  r.port(),
                  c.username(),
                  password,
                  r.sshDir().resolve(HOST_KEY),
                  store.sharedRoot(),
                  store::ownFolder),
              new ServerArrivals(new Arrivals(store), changed, soon));
    } catch (IllegalStateException e) {
      throw new ReplicationException(e.getMessage(), e);
    }
    SshConnector client =
        new SshConnector(
            new PinnedHostKeys(r.sshDir().resolve(PINNED_KEYS)),
            c.username(),
            password,
            r.timeout());
    return new SshTransport(server, client);
  }

  public Replicator.Transport transport() {
    return new Replicator.Transport(client::open, server.fingerprint(), server.port());
  }

  @Override
  public void close() {
    server.close();
  }

  /** Hands every change the server made to {@link Arrivals}, which reads it again (or drops it). */
  private record ServerArrivals(Arrivals arrivals, Runnable changed, Runnable soon)
      implements ArrivalListener {
    @Override
    public void arrived(String node, String file) {
      reload(node, file);
    }

    @Override
    public void removed(String node, String file) {
      reload(node, file);
    }

    @Override
    public void touched(String node, String file) {
      reload(node, file);
    }

    /**
     * Folders that came with the manifest are served before the upload is answered, so that the
     * peer's exchange ends with them served here (even beside a refused file). Confirmations alone
     * wait, with the folders copied file by file, for the next republish off the request's thread:
     * they only make entries look fresher, and a republish reads every entry this node serves.
     */
    @Override
    public void manifest(byte[] bytes) {
      boolean folders = true;
      try {
        folders = arrivals.manifest(bytes, java.time.Instant.now());
      } finally {
        (folders ? changed : soon).run();
      }
    }

    private void reload(String node, String file) {
      arrivals.arrived(node, file);
      if (file.equals(Layout.ALIVE)) {
        soon.run();
      }
    }
  }
}
