package io.appmetricsproxy.scrape;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port whose connections are never answered: a listener that accepts nothing, its accept
 * queue filled, so that the kernel drops every further SYN as a firewall would.
 */
final class Unanswered implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Socket> queued = new ArrayList<>();

  Unanswered() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    for (int i = 0; i < 16; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 200);
        queued.add(s);
      } catch (SocketTimeoutException full) {
        s.close();
        return;
      }
    }
    close();
    throw new IllegalStateException("the accept queue of port " + port() + " never filled");
  }

  int port() {
    return listener.getLocalPort();
  }

  /** A loopback port nothing listens on. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    for (Socket s : queued) {
      s.close();
    }
    listener.close();
  }
}
