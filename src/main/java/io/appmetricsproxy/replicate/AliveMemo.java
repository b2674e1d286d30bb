package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.Manifest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one peer's {@code .alive} files held when this node last read or wrote them, so that an
 * exchange reads a generation again only when the file changed. A folder's {@code .alive} of the
 * same size and mtime holds the same generation: its node confirms a changed folder in a later
 * second, and an empty generation (after a refused file) has another size.
 */
final class AliveMemo {
  private record Known(FileStat stat, byte[] generation) {}

  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private volatile boolean refusesManifest;
  private volatile Manifest left;

  /** The generation the peer's {@code .alive} of {@code node} holds, if it is still as it was. */
  Optional<byte[]> generation(String node, FileStat stat) {
    Known k = known.get(node);
    return k != null && k.stat().equals(stat)
        ? Optional.of(k.generation().clone())
        : Optional.empty();
  }

  void remember(String node, FileStat stat, byte[] generation) {
    known.put(node, new Known(stat, generation.clone()));
  }

  /** Forgets every generation: an exchange by manifest changed {@code .alive} files unseen. */
  void forget() {
    known.clear();
    left = null;
  }

  /** What the peer's folders are after the last exchange by manifest: what it wrote there. */
  void left(Manifest written) {
    left = written;
  }

  /** The folders as the last exchange left them, until {@link #forget}. */
  Optional<Manifest> left() {
    return Optional.ofNullable(left);
  }

  /** The peer refused a manifest (an older version): not offered again. */
  void refuseManifest() {
    refusesManifest = true;
  }

  void acceptManifest() {
    refusesManifest = false;
  }

  boolean refusesManifest() {
    return refusesManifest;
  }
}
