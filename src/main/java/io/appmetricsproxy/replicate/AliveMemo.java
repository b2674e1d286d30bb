package io.appmetricsproxy.replicate;

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
