package io.appmetricsproxy.exposition;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * The bytes of one validated exposition and the format they are in; never changed after creation.
 */
public final class Payload {
  private final byte[] bytes;
  private final Format format;
  private volatile byte[] gzip;
  private volatile String digest;

  private Payload(byte[] bytes, Format format) {
    this.bytes = bytes;
    this.format = Objects.requireNonNull(format);
  }

  /** A payload holding a copy of {@code bytes}. */
  public static Payload of(byte[] bytes, Format format) {
    return new Payload(bytes.clone(), format);
  }

  /** A payload holding the first {@code length} bytes of {@code bytes}, copied. */
  public static Payload of(byte[] bytes, int length, Format format) {
    return new Payload(Arrays.copyOf(bytes, length), format);
  }

  public Format format() {
    return format;
  }

  public int size() {
    return bytes.length;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes);
  }

  public InputStream open() {
    return new ByteArrayInputStream(bytes);
  }

  /** The gzip form, compressed on first use and then kept; callers must not change it. */
  public byte[] gzip() {
    byte[] compressed = gzip;
    if (compressed == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
      try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
        gz.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      compressed = out.toByteArray();
      gzip = compressed;
    }
    return compressed;
  }

  /** 128 bits of the SHA-256 of the bytes, in hex: the same bytes, the same digest. */
  public String digest() {
    String d = digest;
    if (d == null) {
      try {
        d = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      digest = d;
    }
    return d;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Parses the bytes again, as they were validated when the payload was made. */
  public Exposition parse() {
    return ExpositionParser.parse(bytes, format);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload p && p.format == format && Arrays.equals(p.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bytes) + format.hashCode();
  }

  @Override
  public String toString() {
    return "Payload[" + format + ", " + bytes.length + " bytes]";
  }
}
