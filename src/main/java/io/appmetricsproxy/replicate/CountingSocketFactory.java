package io.appmetricsproxy.replicate;

import com.jcraft.jsch.SocketFactory;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens one SSH session's socket with a connect timeout and without Nagle's algorithm (an SFTP
 * request is a small write that would otherwise wait for the peer's delayed ACK, about 40 ms), and
 * counts the bytes on the wire.
 */
final class CountingSocketFactory implements SocketFactory {
  private final int connectTimeoutMillis;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private volatile boolean connected;

  CountingSocketFactory(int connectTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    connected = true;
    return socket;
  }

  /**
   * Buffered above the count: JSch reads each packet in two reads (its length, then the rest), and
   * the version line byte by byte, each a system call on the socket itself; answers that come
   * together (a pipeline's) are then read in one.
   */
  @Override
  public InputStream getInputStream(Socket socket) throws IOException {
    return new BufferedInputStream(counting(socket.getInputStream()), 32 * 1024);
  }

  private InputStream counting(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          received.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          received.addAndGet(n);
        }
        return n;
      }
    };
  }

  @Override
  public OutputStream getOutputStream(Socket socket) throws IOException {
    return new FilterOutputStream(socket.getOutputStream()) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        sent.incrementAndGet();
      }

      @Override
      public void write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
        sent.addAndGet(length);
      }
    };
  }

  /**
   * Whether the TCP connection was made (a later timeout is then a silent peer, not a lost one).
   */
  boolean connected() {
    return connected;
  }

  long bytesSent() {
    return sent.get();
  }

  long bytesReceived() {
    return received.get();
  }
}
