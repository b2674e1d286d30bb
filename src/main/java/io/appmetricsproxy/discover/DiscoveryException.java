package io.appmetricsproxy.discover;

/** The engine could not be asked: it is down, unreachable or refused the request. */
public final class DiscoveryException extends RuntimeException {
  public DiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
