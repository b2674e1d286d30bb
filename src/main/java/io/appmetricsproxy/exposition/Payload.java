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
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The bytes of one validated exposition and the format they are in; never changed after creation.
 *
 * <p>Only the gzip form is kept: it is what Prometheus asks for, and a tenth of the size (a 100 KB
 * exposition takes about 9 KB of heap). The plain bytes are inflated for the rare client without
 * gzip, for a merge and for the store's file. Equality is by format and SHA-256 of the plain bytes.
 */
public final class Payload {
  private static final int BUFFER = 8192;

  private final byte[] gzip;
  private final int size;
  private final byte[] sha256;
  private final String digest;
  private final Format format;
  private volatile List<String> nativeOnly;

  private Payload(byte[] plain, int offset, int length, Format format, byte[] gzip) {
    this.format = Objects.requireNonNull(format);
    Objects.checkFromIndexSize(offset, length, plain.length);
    this.size = length;
    this.sha256 = sha256(plain, offset, length);
    this.digest = HexFormat.of().formatHex(sha256, 0, 16);
    this.gzip = gzip != null ? gzip : gzip(plain, offset, length);
  }

  /** A payload of {@code bytes} (not kept: later changes to the array do not reach it). */
  public static Payload of(byte[] bytes, Format format) {
    return new Payload(bytes, 0, bytes.length, format, null);
  }

  /** A payload of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static Payload of(byte[] bytes, int offset, int length, Format format) {
    return new Payload(bytes, offset, length, format, null);
  }

  /**
   * A payload of {@code length} bytes of {@code bytes} from {@code offset} whose gzip form is
   * {@code gzip}, kept as it is rather than made again: the caller vouches that it is one gzip
   * member of exactly those bytes, as {@link #gzip(byte[], int, int)} makes it (e.g. a peer's, just
   * inflated into them and checked).
   */
  public static Payload withGzip(byte[] bytes, int offset, int length, Format format, byte[] gzip) {
    return new Payload(bytes, offset, length, format, Objects.requireNonNull(gzip));
  }

  public Format format() {
    return format;
  }

  /** The size of the plain bytes. */
  public int size() {
    return size;
  }

  /** Writes the plain bytes. */
  public void writeTo(OutputStream out) throws IOException {
    try (InputStream in = open()) {
      in.transferTo(out);
    }
  }

  /** The plain bytes, inflated as they are read. */
  public InputStream open() {
    try {
      return new GZIPInputStream(new ByteArrayInputStream(gzip), BUFFER);
    } catch (IOException e) {
      throw new UncheckedIOException("the payload's own gzip form is unreadable", e);
    }
  }

  /** The gzip form, made once when the payload was; callers must not change it. */
  public byte[] gzip() {
    return gzip;
  }

  /** 128 bits of the SHA-256 of the plain bytes, in hex: the same bytes, the same digest. */
  public String digest() {
    return digest;
  }

  /** The plain bytes, inflated. */
  public byte[] toByteArray() {
    try (InputStream in = open()) {
      return in.readNBytes(size);
    } catch (IOException e) {
      throw new UncheckedIOException("the payload's own gzip form is unreadable", e);
    }
  }

  /**
   * Whether {@code bytes} in {@code format} are this payload's plain bytes: a digest, without the
   * parse and compression that making a payload of them would cost.
   */
  public boolean hasBytes(byte[] bytes, Format format) {
    return format == this.format
        && bytes.length == size
        && Arrays.equals(sha256(bytes, 0, bytes.length), sha256);
  }

  /**
   * The histogram families of a PROTOBUF payload that have native buckets alone, of which a client
   * without protobuf gets only the count, sum and +Inf bucket (worked out once); none for the other
   * formats.
   */
  public List<String> nativeOnly() {
    List<String> names = nativeOnly;
    if (names == null) {
      names = format == Format.PROTOBUF ? ExpositionParser.nativeOnly(toByteArray()) : List.of();
      nativeOnly = names;
    }
    return names;
  }

  /**
   * Parses the bytes again, as they were validated when the payload was made (a PROTOBUF one as the
   * OPENMETRICS a client without protobuf gets, see {@link ExpositionParser#parse}).
   */
  public Exposition parse() {
    return ExpositionParser.parse(toByteArray(), format);
  }

  /**
   * {@code length} bytes of {@code plain} from {@code offset}, gzipped as a payload keeps them (the
   * same bytes as the gzip form of a payload of them).
   */
  public static byte[] gzip(byte[] plain, int offset, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 8));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, BUFFER)) {
      gz.write(plain, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by a stream in memory
    }
    return out.toByteArray();
  }

  private static byte[] sha256(byte[] plain, int offset, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(plain, offset, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java platform has SHA-256
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload p
        && p.format == format
        && p.size == size
        && Arrays.equals(p.sha256, sha256);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(sha256) + format.hashCode();
  }

  @Override
  public String toString() {
    return "Payload[" + format + ", " + size + " bytes, " + gzip.length + " gzipped]";
  }
}
