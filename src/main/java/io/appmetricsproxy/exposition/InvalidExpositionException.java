package io.appmetricsproxy.exposition;

/** A body that is not a valid exposition, with the 1-based line and a short reason. */
public final class InvalidExpositionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final String reason;

  InvalidExpositionException(int line, String reason) {
    this("line " + line + ": ", line, reason);
  }

  private InvalidExpositionException(String where, int line, String reason) {
    super(where + reason);
    this.line = line;
    this.reason = reason;
  }

  /** A protobuf body's problem in its {@code index}th message (1-based), at byte {@code offset}. */
  static InvalidExpositionException protobuf(int index, int offset, String reason) {
    return new InvalidExpositionException(
        "metric family " + index + " (byte " + offset + "): ", index, reason);
  }

  /** The 1-based line number the problem was found on (of a protobuf body: the message). */
  public int line() {
    return line;
  }

  /** What is wrong, without the line number. */
  public String reason() {
    return reason;
  }
}
