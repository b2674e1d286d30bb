package io.appmetricsproxy.replicate.server;

import java.time.Instant;
import java.util.Optional;

/**
 * Hears of what clients changed in a node folder, after the change is on disk; {@code file} is the
 * entry file name ({@code <id>.entry}). A thrown exception is logged and fails the client's
 * request.
 */
public interface ArrivalListener {
  /** A temp file was renamed into {@code file}, replacing any previous one. */
  void arrived(String node, String file);

  /** The entry file was deleted. */
  void removed(String node, String file);

  /** The entry file's modification time was set. */
  void touched(String node, String file);

  /**
   * A client's manifest ({@code .manifest}) at the end of its exchange, instead of writing it over
   * the store's own: the proxy takes what it confirms and writes its manifest from its store. By
   * default the upload is refused.
   */
  default void manifest(byte[] bytes) {
    throw new IllegalStateException("no manifest is taken here");
  }

  /**
   * When {@code node} last confirmed its folder as this store holds it, which may be later than its
   * {@code .alive}'s mtime ({@code Store.ALIVE_LAG}): a client's stat of that file shows it.
   */
  default Optional<Instant> confirmed(String node) {
    return Optional.empty();
  }
}
