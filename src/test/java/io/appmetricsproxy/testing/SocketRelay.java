package io.appmetricsproxy.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Unix socket in front of a real engine's socket, byte for byte, that can go away and come back:
 * to the proxy the engine stops (the socket is gone, every connection is cut) and starts again, or
 * hangs (it accepts and answers nothing), while the engine and its containers run on. Counts the
 * connections open through it.
 */
public final class SocketRelay implements AutoCloseable {
  private final Path socket;
  private final Path target;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocketChannel server;
  private volatile boolean hung;

  /**
   * {@code dockerHost} is the engine's "unix:///…" address; the relay listens on {@code socket}.
   */
  public SocketRelay(String dockerHost, Path socket) {
    if (!dockerHost.startsWith("unix://")) {
      throw new IllegalArgumentException("not a unix socket: " + dockerHost);
    }
    this.target = Path.of(dockerHost.substring("unix://".length()));
    this.socket = socket;
  }

  /** This relay's address, as DOCKER_HOST. */
  public String dockerHost() {
    return "unix://" + socket;
  }

  /** Listens (again). */
  public synchronized void start() throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(socket));
    server = s;
    Thread acceptor = new Thread(() -> accept(s), "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The engine "stops": the socket is removed and every open connection is cut. */
  public synchronized void stop() throws IOException {
    ServerSocketChannel s = server;
    server = null;
    if (s != null) {
      s.close();
    }
    for (SocketChannel c : Set.copyOf(open)) {
      closeQuietly(c);
    }
    Files.deleteIfExists(socket);
  }

  /** Every open connection is cut, as an engine restart would; new ones are accepted. */
  public void cut() {
    for (SocketChannel c : Set.copyOf(open)) {
      closeQuietly(c);
    }
  }

  /**
   * The engine "hangs": connections are still accepted, but nothing is forwarded either way until
   * {@link #resume()}; what was sent meanwhile is held, and forwarded then.
   */
  public void hang() {
    hung = true;
  }

  public void resume() {
    hung = false;
  }

  /** Client connections open through the relay now. */
  public int openConnections() {
    return open.size() / 2;
  }

  private void accept(ServerSocketChannel s) {
    while (s.isOpen()) {
      SocketChannel client;
      try {
        client = s.accept();
      } catch (IOException closed) {
        return;
      }
      try {
        SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(target));
        open.add(client);
        open.add(engine);
        pump(client, engine);
        pump(engine, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
              try {
                while (from.read(buffer) >= 0) {
                  while (hung) {
                    Thread.sleep(10);
                  }
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
              } catch (IOException | InterruptedException ignored) {
                // cut, or the other side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private void closeQuietly(SocketChannel c) {
    open.remove(c);
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
