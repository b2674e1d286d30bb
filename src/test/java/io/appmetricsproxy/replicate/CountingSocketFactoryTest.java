package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CountingSocketFactoryTest {
  /**
   * What JSch does with the socket's stream: reads of a packet's length and then its rest, a read
   * that times out between packets (its keepalive timer), and reads on after it.
   */
  @Test
  void readsWhatCameInOrderAcrossATimeoutAndCountsTheBytesOnTheWire() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountingSocketFactory factory = new CountingSocketFactory(5_000);
      try (Socket client = factory.createSocket("127.0.0.1", server.getLocalPort());
          Socket peer = server.accept()) {
        client.setSoTimeout(200);
        DataInputStream in = new DataInputStream(factory.getInputStream(client));
        OutputStream out = peer.getOutputStream();
        out.write(packets("one", "two", "three")); // together, as a pipeline's answers come
        out.flush();

        assertThat(packet(in)).isEqualTo("one");
        assertThat(packet(in)).isEqualTo("two");
        assertThat(packet(in)).isEqualTo("three");
        assertThatThrownBy(in::readInt).isInstanceOf(SocketTimeoutException.class);
        out.write(packets("four"));
        out.flush();
        assertThat(packet(in)).isEqualTo("four");
        assertThat(factory.bytesReceived()).isEqualTo(4 * 4 + 3 + 3 + 5 + 4);

        OutputStream sent = factory.getOutputStream(client);
        sent.write(packets("back"));
        sent.flush();
        InputStream got = peer.getInputStream();
        assertThat(new String(got.readNBytes(8), StandardCharsets.US_ASCII).substring(4))
            .isEqualTo("back");
        assertThat(factory.bytesSent()).isEqualTo(8);
        assertThat(factory.connected()).isTrue();
      }
    }
  }

  private static byte[] packets(String... payloads) throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream d = new java.io.DataOutputStream(b);
    for (String p : payloads) {
      d.writeInt(p.length());
      d.write(p.getBytes(StandardCharsets.US_ASCII));
    }
    return b.toByteArray();
  }

  private static String packet(DataInputStream in) throws Exception {
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    return new String(payload, StandardCharsets.US_ASCII);
  }
}
