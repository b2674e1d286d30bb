package io.appmetricsproxy.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket that relays every connection to another one, and can cut them all: a real engine
 * whose connections are lost, without stopping the engine.
 */
public final class SocketRelay implements AutoCloseable {
  private final Path socket;
  private final Path target;
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /** Listens on {@code socket} and relays to the engine at {@code dockerHost} (unix://…). */
  public SocketRelay(Path socket, String dockerHost) throws IOException {
    this.socket = socket;
    this.target = Path.of(dockerHost.replaceFirst("^unix://", ""));
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor = new Thread(this::accept, "test-relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** "unix://…" of the relay. */
  public String dockerHost() {
    return "unix://" + socket;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(target));
        open.add(client);
        open.add(engine);
        pump(client, engine);
        pump(engine, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(65536);
              try {
                while (from.read(buffer) >= 0) {
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
              } catch (IOException ignored) {
                // cut, or closed by either side
              }
              closeQuietly(from);
              closeQuietly(to);
            },
            "test-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Closes every relayed connection, as an engine restart would; new ones are accepted. */
  public void cut() {
    for (SocketChannel c : open) {
      closeQuietly(c);
    }
    open.clear();
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
    Files.deleteIfExists(socket);
  }
}
