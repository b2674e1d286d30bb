package io.appmetricsproxy.exposition;

/** A body that is not a valid exposition, with the 1-based line and a short reason. */
public final class InvalidExpositionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final String reason;

  InvalidExpositionException(int line, String reason) {
    super("line " + line + ": " + reason);
    this.line = line;
    this.reason = reason;
  }

  /** The 1-based line number the problem was found on. */
  public int line() {
    return line;
  }

  /** What is wrong, without the line number. */
  public String reason() {
    return reason;
  }
}
