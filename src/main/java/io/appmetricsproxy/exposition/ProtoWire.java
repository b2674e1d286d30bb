package io.appmetricsproxy.exposition;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over protobuf wire-format bytes that reads as the gogo-protobuf code Prometheus 2.42
 * unmarshals with reads, failing where it fails and with its words.
 */
final class ProtoWire {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  static final String EOF = "unexpected EOF";
  static final String OVERFLOW = "proto: integer overflow";
  static final String NEGATIVE_LENGTH = "proto: negative length found during unmarshaling";

  /** A body the wire format cannot be read from. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final byte[] b;
  private final int end;
  private int pos;

  ProtoWire(byte[] b, int from, int to) {
    this.b = b;
    this.pos = from;
    this.end = to;
  }

  boolean more() {
    return pos < end;
  }

  int position() {
    return pos;
  }

  /** The index after this cursor's last byte. */
  int limit() {
    return end;
  }

  /** A varint of at most ten bytes (bits past 64 dropped, as gogo does). */
  long varint() {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift >= 64) {
        throw new Malformed(OVERFLOW);
      }
      if (pos >= end) {
        throw new Malformed(EOF);
      }
      int c = b[pos++];
      value |= (long) (c & 0x7f) << shift;
      if ((c & 0x80) == 0) {
        return value;
      }
    }
  }

  /**
   * A field's key: field number and wire type; an end-group key or a field number below 1 fails, as
   * in the generated code of {@code message}.
   */
  long tag(String message) {
    long key = varint();
    int wireType = (int) (key & 7);
    int field = (int) (key >>> 3);
    if (wireType == 4) {
      throw new Malformed("proto: " + message + ": wiretype end group for non-group");
    }
    if (field <= 0) {
      throw new Malformed(
          "proto: " + message + ": illegal tag " + field + " (wire type " + key + ")");
    }
    return key;
  }

  static int field(long key) {
    return (int) (key >>> 3);
  }

  static int wireType(long key) {
    return (int) (key & 7);
  }

  /** Fails unless the key has the wire type the field is declared with. */
  static void expect(long key, int wireType, String field) {
    if (wireType(key) != wireType) {
      throw new Malformed("proto: wrong wireType = " + wireType(key) + " for field " + field);
    }
  }

  double fixed64() {
    if (end - pos < 8) {
      throw new Malformed(EOF);
    }
    long bits = 0;
    for (int i = 7; i >= 0; i--) {
      bits = (bits << 8) | (b[pos + i] & 0xff);
    }
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  /** The length of a length-delimited field, its bytes then at {@link #position()}. */
  int length() {
    long length = varint();
    if (length < 0 || length > Integer.MAX_VALUE) {
      throw new Malformed(NEGATIVE_LENGTH);
    }
    if (length > end - pos) {
      throw new Malformed(EOF);
    }
    return (int) length;
  }

  /** A sub-cursor over the next length-delimited field, which this one moves past. */
  ProtoWire message() {
    int length = length();
    ProtoWire inner = new ProtoWire(b, pos, pos + length);
    pos += length;
    return inner;
  }

  /** A string field: the text (null where the bytes are not UTF-8) as gogo keeps any bytes. */
  String string() {
    int length = length();
    int from = pos;
    pos += length;
    if (Utf8.firstInvalid(b, from, pos) >= 0) {
      return null;
    }
    return new String(b, from, length, StandardCharsets.UTF_8);
  }

  static long zigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** A field of a number the message does not know, as gogo's skip function moves past it. */
  void skip(long key) {
    int depth = 0;
    int wireType = wireType(key);
    while (true) {
      switch (wireType) {
        case VARINT -> varint();
        case FIXED64 -> advance(8);
        case LEN -> {
          long length = varint();
          if (length < 0 || length > Integer.MAX_VALUE) {
            throw new Malformed(NEGATIVE_LENGTH);
          }
          advance(length);
        }
        case 3 -> depth++;
        case 4 -> {
          if (depth == 0) {
            throw new Malformed("proto: unexpected end of group");
          }
          depth--;
        }
        case FIXED32 -> advance(4);
        default -> throw new Malformed("proto: illegal wireType " + wireType);
      }
      if (depth == 0) {
        return;
      }
      wireType = (int) (varint() & 7);
    }
  }

  private void advance(long n) {
    if (n > end - pos) {
      throw new Malformed(EOF);
    }
    pos += (int) n;
  }
}
