package io.appmetricsproxy.replicate;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The SSH session's zlib (RFC 4253 §6.2: one stream per direction, flushed at each packet), by the
 * JDK's zlib with its history. JSch's own two ({@code jzlib}, {@code juz}) are Huffman-only: they
 * never refer back, so a body of the same lines costs about 60 % of its size instead of a tenth,
 * and a manifest as much as the one before it in the same session.
 */
public final class SshZlib implements com.jcraft.jsch.Compression {
  /**
   * The level a session compresses at. zlib's levels 1 to 3 match greedily, 4 to 9 lazily: on an
   * entry of 10 KB of exposition, level 3 takes a third of the time of level 6 (zlib's default,
   * OpenSSH's) and is as small, and on a manifest of 200 folders sent after the one before it, 7
   * instead of 18 µs and 54 instead of 71 bytes ({@code bench/manifest.sh}).
   */
  static final int LEVEL = 3;

  /** What JSch adds after a packet's payload (padding, MAC), as its own zlib classes leave. */
  private static final int MARGIN = 52;

  /** RFC 4253 §6.1: an implementation need not take packets above 256 KiB. */
  private static final int MAX_PACKET = 256 * 1024 - 5;

  private Deflater deflater;
  private Inflater inflater;
  private final byte[] chunk = new byte[8192];

  @Override
  public void init(int type, int level) {
    if (type == DEFLATER) {
      deflater = new Deflater(level < 0 || level > 9 ? Deflater.DEFAULT_COMPRESSION : level);
    } else if (type == INFLATER) {
      inflater = new Inflater();
    }
  }

  /** Compresses {@code buf[start, end[0])} in place; {@code end[0]} then ends what it became. */
  @Override
  public byte[] compress(byte[] buf, int start, int[] end) {
    deflater.setInput(buf, start, end[0] - start);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, (end[0] - start) / 2));
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length); // a SYNC_FLUSH that filled the chunk may have more to give
    return place(buf, start, out, end);
  }

  /** Inflates {@code buf[start, start + len[0])} in place; {@code len[0]} then is its length. */
  @Override
  public byte[] uncompress(byte[] buf, int start, int[] len) {
    inflater.setInput(buf, start, len[0]);
    ByteArrayOutputStream out = new ByteArrayOutputStream(len[0] * 4);
    try {
      int n;
      do {
        n = inflater.inflate(chunk);
        out.write(chunk, 0, n);
        if (out.size() > MAX_PACKET) {
          throw new com.jcraft.jsch.Compression.InflaterException(
              "a decompressed packet exceeds " + MAX_PACKET + " bytes");
        }
      } while (n > 0);
    } catch (DataFormatException e) {
      throw new com.jcraft.jsch.Compression.InflaterException("a packet does not inflate", e);
    }
    // input left that gives nothing: the stream ended or wants a dictionary (never an SSH one);
    // looping on it would never end
    if (!inflater.needsInput()) {
      throw new com.jcraft.jsch.Compression.InflaterException(
          "a packet's stream ended before its input, or asks for a dictionary");
    }
    int[] end = {0};
    byte[] result = place(buf, start, out, end);
    len[0] = end[0] - start;
    return result;
  }

  private static byte[] place(byte[] buf, int start, ByteArrayOutputStream out, int[] end) {
    byte[] target = buf;
    if (buf.length < start + out.size() + MARGIN) {
      target = new byte[(start + out.size() + MARGIN) * 2];
      System.arraycopy(buf, 0, target, 0, start);
    }
    byte[] bytes = out.toByteArray();
    System.arraycopy(bytes, 0, target, start, bytes.length);
    end[0] = start + bytes.length;
    return target;
  }

  @Override
  public void end() {
    if (deflater != null) {
      deflater.end();
    }
    if (inflater != null) {
      inflater.end();
    }
  }
}
