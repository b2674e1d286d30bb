package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Manifest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A peer's shared store folder as the exchange sees it: {@code <node>/<entry file>} under a root
 * that also holds {@code .node}, the peer's own node name. Every method throws {@link
 * ReplicationException} with a message naming what failed.
 */
interface RemoteStore extends AutoCloseable {
  /** The peer's own node name, from {@link Layout#NODE_FILE}. */
  String node();

  /**
   * A count that grows whenever an entry file of the store's node folders changes; empty where it
   * is not known (a peer's). What was read of the folders holds while it does not grow.
   */
  default OptionalLong changes() {
    return OptionalLong.empty();
  }

  /** The node folders under the root (names only, no dot files). */
  List<String> nodes();

  /**
   * The entry files ({@code *.entry}, no dot files) of one node folder; empty when it is absent.
   */
  Map<String, FileStat> list(String node);

  /** One file's size and mtime (any name, dot files included); empty when it is absent. */
  Optional<FileStat> stat(String node, String file);

  /** Reads one file, refusing one larger than {@code maxBytes}. */
  byte[] read(String node, String file, long maxBytes);

  /**
   * Writes one file under a temp name in the same folder (created when absent), sets its mtime,
   * then renames it over {@code file}: a reader sees the old file or the new one, never a part.
   */
  void write(String node, String file, byte[] bytes, long mtimeSeconds);

  /**
   * The exposition of entry file {@code file} that {@link #read} gives, gzipped as a payload of it
   * keeps it ({@link io.appmetricsproxy.exposition.Payload#gzip}), where it came so and was checked
   * as it was inflated; empty where this store has none at hand.
   */
  default Optional<byte[]> gzipped(String node, String file) {
    return Optional.empty();
  }

  /**
   * As {@link #write(String, String, byte[], long)}, with {@code gzip} of {@link #gzipped} at hand,
   * which a store that keeps payloads may keep rather than gzip the exposition again.
   */
  default void write(
      String node, String file, byte[] bytes, Optional<byte[]> gzip, long mtimeSeconds) {
    write(node, file, bytes, mtimeSeconds);
  }

  /** Sets the mtime of an existing file without moving its bytes. */
  void touch(String node, String file, long mtimeSeconds);

  /** Removes one file; absent is fine. */
  void delete(String node, String file);

  /**
   * The peer's manifest ({@link Layout#MANIFEST}); empty where it has none that parses as a whole:
   * a peer of an older version, a plain folder not yet written to, a torn or foreign file.
   */
  default Optional<Manifest> manifest() {
    return Optional.empty();
  }

  /**
   * Writes the peer's manifest (temp name, then renamed over it).
   *
   * @throws ReplicationException also where the peer takes none (an older version)
   */
  default void writeManifest(byte[] bytes) {
    throw new ReplicationException("this peer takes no " + Layout.MANIFEST);
  }

  /**
   * Takes a later confirmation of a folder whose generation this side holds; by default at once
   * ({@link #touch} of its {@code .alive}).
   */
  default void confirmLater(String node, long mtimeSeconds) {
    touch(node, Layout.ALIVE, mtimeSeconds);
  }

  /** Whether the connection can still be used for another exchange. */
  default boolean isOpen() {
    return true;
  }

  /** An exchange starts on this connection (a new one, or one kept since the round before). */
  default void active() {}

  /** The exchange ended; the connection is kept for the next round. */
  default void idle() {}

  /** Bytes sent on the wire since this was opened, protocol included; 0 where there is no wire. */
  default long bytesSent() {
    return 0;
  }

  /** Bytes received on the wire since this was opened, protocol included. */
  default long bytesReceived() {
    return 0;
  }

  @Override
  void close();
}
