package io.appmetricsproxy.replicate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;

class ZlibTest {
  /** About 10 KB of exposition, where zlib's levels 3 and 6 give different bytes. */
  private static byte[] exposition() {
    StringBuilder b = new StringBuilder("# TYPE requests_total counter\n");
    for (int line = 0; b.length() < 10_000; line++) {
      b.append("requests_total{app=\"n7-app-1\",path=\"/api/v1/resource/")
          .append(line)
          .append("\"} ")
          .append(line * 7)
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] deflated(byte[] in, int level) {
    Deflater d = new Deflater(level);
    d.setInput(in);
    byte[] out = new byte[in.length * 2];
    int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    d.end();
    return Arrays.copyOf(out, n);
  }

  @Test
  void sshdsZlibCompressionsCompressAtLevelThreeInTheirOrderAndNoneStaysAsItIs() throws Exception {
    List<NamedFactory<Compression>> sshds =
        SshServer.setUpDefaultServer().getCompressionFactories();
    List<NamedFactory<Compression>> ours = Zlib.atLevel(sshds);

    assertThat(ours.stream().map(NamedFactory::getName))
        .containsExactlyElementsOf(sshds.stream().map(NamedFactory::getName).toList())
        .contains("zlib", "zlib@openssh.com", "none");
    byte[] body = exposition();
    assertThat(deflated(body, 3)).isNotEqualTo(deflated(body, 6));
    for (NamedFactory<Compression> f : ours) {
      if (f.getName().equals(BuiltinCompressions.none.getName())) {
        assertThat(f).isSameAs(BuiltinCompressions.none);
        continue;
      }
      Compression c = f.create();
      c.init(Compression.Type.Deflater, -1); // what sshd asks for: zlib's default
      ByteArrayBuffer buffer = new ByteArrayBuffer(body.clone());
      c.compress(buffer);

      assertThat(buffer.getCompactData()).as(f.getName()).isEqualTo(deflated(body, 3));
      assertThat(c.isDelayed()).isEqualTo(f.getName().equals("zlib@openssh.com"));
      assertThat(c.getName()).isEqualTo(f.getName());
    }
  }
}
