package io.appmetricsproxy.discover;

/** Where targets come from; the Docker engine in production. */
public interface TargetSource extends AutoCloseable {
  /**
   * Lists the targets of this node now.
   *
   * @throws DiscoveryException when the source cannot be read; the caller keeps what it had
   */
  Discovery discover();

  @Override
  void close();
}
