package io.appmetricsproxy.replicate;

/** An exchange with one peer failed: unreachable, refused, a changed host key, a bad file. */
public final class ReplicationException extends RuntimeException {
  public ReplicationException(String message) {
    super(message);
  }

  public ReplicationException(String message, Throwable cause) {
    super(message, cause);
  }
}
