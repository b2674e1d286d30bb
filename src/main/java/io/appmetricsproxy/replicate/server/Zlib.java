package io.appmetricsproxy.replicate.server;

import java.io.IOException;
import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.compression.CompressionFactory;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * sshd's zlib compressions at level 3 instead of zlib's default 6, as the client's ({@code
 * replicate.SshZlib}): levels 1 to 3 match greedily, and on what a session carries (exposition,
 * manifests much like the one before) level 3 compresses as well in a third of the time. The server
 * compresses what clients read: each round's manifest, and the folders a manager takes.
 */
final class Zlib implements CompressionFactory {
  static final int LEVEL = 3;

  private final CompressionFactory sshd;

  private Zlib(CompressionFactory sshd) {
    this.sshd = sshd;
  }

  /** {@code factories} in their order, each zlib one at {@link #LEVEL}. */
  static List<NamedFactory<Compression>> atLevel(List<NamedFactory<Compression>> factories) {
    return factories.stream()
        .map(
            f ->
                f instanceof CompressionFactory c && c.isCompressionExecuted()
                    ? (NamedFactory<Compression>) new Zlib(c)
                    : f)
        .toList();
  }

  @Override
  public Compression create() {
    Compression zlib = sshd.create();
    return new Compression() {
      @Override
      public void init(Type type, int level) {
        zlib.init(type, LEVEL);
      }

      @Override
      public void compress(Buffer buffer) throws IOException {
        zlib.compress(buffer);
      }

      @Override
      public void uncompress(Buffer from, Buffer to) throws IOException {
        zlib.uncompress(from, to);
      }

      @Override
      public boolean isDelayed() {
        return zlib.isDelayed();
      }

      @Override
      public boolean isCompressionExecuted() {
        return zlib.isCompressionExecuted();
      }

      @Override
      public String getName() {
        return zlib.getName();
      }
    };
  }

  @Override
  public String getName() {
    return sshd.getName();
  }

  @Override
  public boolean isSupported() {
    return sshd.isSupported();
  }

  @Override
  public boolean isDelayed() {
    return sshd.isDelayed();
  }

  @Override
  public boolean isCompressionExecuted() {
    return sshd.isCompressionExecuted();
  }
}
