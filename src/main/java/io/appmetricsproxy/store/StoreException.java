package io.appmetricsproxy.store;

/** The store folder could not be written or read. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
