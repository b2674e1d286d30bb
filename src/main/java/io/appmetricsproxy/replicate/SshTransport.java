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
   * How a node serves what its server took from peers, by how soon it must be served.
   *
   * @param now folders came with the manifest a peer wrote at the end of its exchange: served to
   *     every read after the upload is answered
   * @param soon a folder a peer copied file by file is complete ({@code .alive} last), which may
   *     come many times in one exchange
   * @param later confirmations alone came with the manifest: they only make entries look fresher,
   *     and the next snapshot this node makes anyway serves them
   */
  public record Serving(Runnable now, Runnable soon, Runnable later) {}

  /**
   * Starts the server, which asks {@code serving} to serve what it took.
   *
   * @throws ReplicationException when the server cannot start, e.g. its port is taken
   */
  public static SshTransport start(ReplicationSettings r, Store store, Serving serving) {
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
              new ServerArrivals(new Arrivals(store), serving));
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
  private record ServerArrivals(Arrivals arrivals, Serving serving) implements ArrivalListener {
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
     * Folders that came with the manifest are served to every read after the upload is answered, so
     * that the peer's exchange ends with them served here (even beside a refused file).
     * Confirmations alone are left to the next snapshot ({@link Serving#later}): every peer's round
     * brings some, and a snapshot reads every entry this node serves (1,000 in a cluster of 200
     * nodes).
     */
    @Override
    public void manifest(byte[] bytes) {
      boolean folders = true;
      try {
        folders = arrivals.manifest(bytes, java.time.Instant.now());
      } finally {
        (folders ? serving.now() : serving.later()).run();
      }
    }

    @Override
    public java.util.Optional<java.time.Instant> confirmed(String node) {
      return arrivals.confirmed(node);
    }

    private void reload(String node, String file) {
      arrivals.arrived(node, file);
      if (file.equals(Layout.ALIVE)) {
        serving.soon().run();
      }
    }
  }
}
