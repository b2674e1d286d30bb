package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.FolderMap;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One exchange between this node and a peer, rsync-like on store folders: for every node folder
 * either side holds, the side whose copy that node confirmed later ({@code .alive}) wins, and the
 * other side's copy is made equal to it. Only entries whose size or mtime differ move; entries the
 * winner lacks are deleted; {@code .alive} is copied last, so that an interrupted exchange is
 * simply redone next time. A node's own folder is only ever written by that node.
 */
final class Exchange {
  private static final long MAX_GENERATION = 64;
  private final long maxFileBytes;
  private volatile Bundles bundles = new Bundles(-1);

  /** What one exchange moved; {@code bytes} counts entry payloads only. */
  record Moved(int sent, int received, int deleted, long bytes, List<String> errors) {
    static final Moved NONE = new Moved(0, 0, 0, 0, List.of());

    Moved {
      errors = List.copyOf(errors);
    }

    Moved plus(Moved o) {
      List<String> all = new ArrayList<>(errors);
      all.addAll(o.errors);
      return new Moved(
          sent + o.sent, received + o.received, deleted + o.deleted, bytes + o.bytes, all);
    }
  }

  Exchange(long maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
  }

  Moved run(RemoteStore local, RemoteStore peer) {
    return run(local, peer, new AliveMemo());
  }

  /**
   * With a peer that has a manifest: one read of it, the folders whose generation differs listed
   * and copied, one write of it with what the peer holds now. With one that has none (an older
   * version, a plain folder not yet written to): every folder's {@code .alive} is stat'ed, and the
   * manifest written after an exchange without refusals, so that the next one uses it. {@code
   * memo}: what this peer's {@code .alive} files held after the exchanges before.
   */
  Moved run(RemoteStore local, RemoteStore peer, AliveMemo memo) {
    distinct(local, peer);
    return run(local, peer, peer.manifest(), local.manifest(), memo);
  }

  /**
   * What the first pass of a round did: what it moved, and whether the peer waits for this node's
   * part ({@link #runAgain}).
   */
  record Pulled(Moved moved, boolean pushDue) {}

  /**
   * The first pass of a round: with a peer that takes folders, one read of its manifest, and only
   * what it holds later taken here; nothing is written there, and {@link #runAgain}, once every
   * peer's first pass has brought its news, writes it one upload of all it lacks. With any other
   * peer a whole exchange ({@link #run}).
   */
  Pulled pull(RemoteStore local, RemoteStore peer, AliveMemo memo) {
    distinct(local, peer);
    Optional<Manifest> theirs = peer.manifest();
    Optional<Manifest> mine = local.manifest();
    if (theirs.isEmpty() || mine.isEmpty() || !theirs.get().takesFolders()) {
      return new Pulled(run(local, peer, theirs, mine, memo), false);
    }
    Tally tally = new Tally();
    String self = local.node();
    for (FolderMap.Pair p : FolderMap.join(mine.get().byNode(), theirs.get().byNode())) {
      Manifest.Folder m = p.left();
      Manifest.Folder t = p.right();
      if (t != null && t.confirmed() > (m == null ? -1 : m.confirmed()) && !p.node().equals(self)) {
        receive(local, peer, p.node(), t, m, tally);
      }
    }
    memo.forget(); // the .alive files may have changed behind a memo of them
    memo.left(theirs.get()); // what the peer holds: its part starts from it
    return new Pulled(
        new Moved(tally.sent, tally.received, tally.deleted, tally.bytes, tally.errors), true);
  }

  private static void distinct(RemoteStore local, RemoteStore peer) {
    String self = local.node();
    if (self.equals(peer.node())) {
      throw new ReplicationException(
          "the peer has this node's name \"" + self + "\" (set NODE_NAME apart on each node)");
    }
  }

  private Moved run(
      RemoteStore local,
      RemoteStore peer,
      Optional<Manifest> theirs,
      Optional<Manifest> mine,
      AliveMemo memo) {
    String self = local.node();
    String other = peer.node();
    if (theirs.isPresent() && mine.isPresent()) {
      return byManifest(local, peer, mine.get(), theirs.get(), memo, true);
    }
    Moved moved = byAlive(local, peer, self, other, memo);
    if (moved.errors().isEmpty() && mine.isPresent() && !memo.refusesManifest()) {
      try {
        peer.writeManifest(local.manifest().orElseThrow().format());
      } catch (ReplicationException e) {
        memo.refuseManifest(); // an older peer: it keeps its .alive files only
      }
    }
    return moved;
  }

  /**
   * The second pass of a round with a peer that takes folders: from what the first one found or
   * left there ({@link AliveMemo#left}) instead of a read of its manifest, what this node holds
   * later goes to it, in one upload with the manifest; what the peer got meanwhile from others
   * comes with the next round's read. Its store stays the truth: the peer takes from an upload only
   * what is later than what it holds. With any other peer, or without what the first one left, a
   * whole exchange.
   */
  Moved runAgain(RemoteStore local, RemoteStore peer, AliveMemo memo) {
    Optional<Manifest> left = memo.left();
    Optional<Manifest> mine = local.manifest();
    if (left.isEmpty() || !left.get().takesFolders() || mine.isEmpty()) {
      return run(local, peer, memo);
    }
    return byManifest(local, peer, mine.get(), left.get(), memo, false);
  }

  /**
   * {@code receive}: also take what the peer holds later ({@code theirs} read from it just now).
   */
  private Moved byManifest(
      RemoteStore local,
      RemoteStore peer,
      Manifest mine,
      Manifest theirs,
      AliveMemo memo,
      boolean receive) {
    String self = local.node();
    String other = peer.node();
    Tally tally = new Tally();
    FolderMap.Builder after = new FolderMap.Builder(theirs.folders().size());
    List<Bundle.Folder> bundled = new ArrayList<>();
    long budget = theirs.takesFolders() ? Bundle.MAX_ENTRY_BYTES : 0; // bytes of entries to bundle
    for (FolderMap.Pair p : FolderMap.join(mine.byNode(), theirs.byNode())) {
      String node = p.node();
      Manifest.Folder m = p.left();
      Manifest.Folder t = p.right();
      long mc = m == null ? -1 : m.confirmed();
      long tc = t == null ? -1 : t.confirmed();
      Manifest.Folder held = t; // what the peer holds after this exchange
      if (mc > tc && !node.equals(other)) {
        held = m;
        if (!m.sameGeneration(t)) { // same generation: the manifest carries the confirmation
          long room = budget;
          Optional<Bundle.Folder> folder =
              room > 0
                  ? bundled(local, node, m, t).filter(f -> f.sentBytes() <= room)
                  : Optional.<Bundle.Folder>empty();
          if (folder.isPresent() && !folder.get().asListed()) {
            // a file of it was replaced once listed (a cycle here, a peer's copy): the peer would
            // refuse the whole upload; it keeps its copy, and the next exchange sends this one
            held = t;
          } else if (folder.isPresent()) {
            bundled.add(folder.get());
            budget -= folder.get().sentBytes();
          } else {
            byte[] written = copy(local, peer, node, mc, m.alive(), tally, true);
            held = new Manifest.Folder(mc, Manifest.Folder.generationOf(written));
          }
        }
      } else if (receive && tc > mc && !node.equals(self)) {
        receive(local, peer, node, t, m, tally);
      }
      if (held != null) {
        after.add(node, held);
      }
    }
    for (Bundle.Folder f : bundled) {
      tally.sent += f.sentFiles();
      tally.bytes += f.sentBytes();
    }
    memo.forget(); // the .alive files may have changed behind a memo of them
    try {
      FolderMap folders = after.build();
      byte[] manifest = new Manifest(folders).format();
      peer.writeManifest(
          bundled.isEmpty()
              ? manifest
              : Bundle.upload(manifest, bundled, theirs.takesGzippedEntries()));
      if (tally.errors.isEmpty()) {
        memo.left(new Manifest(folders, theirs.takes()));
      }
    } catch (ReplicationException e) {
      // what moved stays; the next exchange finds the old manifest and lists those folders again
      tally.errors.add(Layout.MANIFEST + ": " + e.getMessage());
    }
    return new Moved(tally.sent, tally.received, tally.deleted, tally.bytes, tally.errors);
  }

  /**
   * Takes the peer's copy of a folder, which it confirmed later ({@code theirs}): only that
   * confirmation where this node holds the same generation ({@code mine}), else the folder.
   */
  private void receive(
      RemoteStore local,
      RemoteStore peer,
      String node,
      Manifest.Folder theirs,
      Manifest.Folder mine,
      Tally tally) {
    if (theirs.sameGeneration(mine)) {
      local.confirmLater(node, theirs.confirmed());
    } else {
      copy(peer, local, node, theirs.confirmed(), theirs.alive(), tally, false);
    }
  }

  /**
   * The folder as it goes to a peer holding {@code theirs}; one bundled for another peer holding
   * the same generation is taken again while this node's folders did not change since (a change
   * reaches every peer of a round: at 200 nodes, 199 listings and reads of the same files).
   */
  private Optional<Bundle.Folder> bundled(
      RemoteStore local, String node, Manifest.Folder mine, Manifest.Folder theirs) {
    long held = theirs == null ? Long.MIN_VALUE : theirs.generationSecond();
    OptionalLong changes = local.changes();
    if (changes.isEmpty()) {
      return bundle(local, node, mine, held);
    }
    Bundles made = bundles;
    if (made.changes != changes.getAsLong()) {
      made = new Bundles(changes.getAsLong());
      bundles = made;
    }
    String key = node + ' ' + mine.generation() + ' ' + mine.confirmed() + ' ' + held;
    Bundle.Folder again = made.folders.get(key);
    if (again != null) {
      return Optional.of(again);
    }
    Optional<Bundle.Folder> folder = bundle(local, node, mine, held);
    if (folder.isPresent() && folder.get().asListed() && local.changes().equals(changes)) {
      // read whole while nothing changed
      made.folders.put(key, folder.get());
    }
    return folder;
  }

  /** Folders bundled since the local store's count of changes was {@code changes}. */
  private static final class Bundles {
    final long changes;
    final Map<String, Bundle.Folder> folders = new ConcurrentHashMap<>();

    Bundles(long changes) {
      this.changes = changes;
    }
  }

  /**
   * This node's copy of a folder for the upload of the manifest: its listing, and the bytes of the
   * entries the peer's generation of it lacks, confirmed in second {@code held} (or none). A
   * generation is the moment its node confirmed it (epoch milliseconds, {@link Confirmation}), and
   * an entry file changed since is written in a later second ({@code Store.put}): what changed
   * since that generation has an mtime past its second. Where the peer has no generation, every
   * entry is sent; where the guess is wrong (a file changed by hand, a clock that stepped) the peer
   * refuses the folder, and it is sent whole the next time. Empty when an entry cannot be read
   * here, or the bytes to send exceed {@link Bundle#MAX_ENTRY_BYTES} (no more reads then): the
   * folder then goes file by file, which reports that entry.
   */
  private Optional<Bundle.Folder> bundle(
      RemoteStore local, String node, Manifest.Folder mine, long held) {
    List<Bundle.File> files = new ArrayList<>();
    long sent = 0;
    try {
      for (Map.Entry<String, FileStat> f : local.list(node).entrySet()) {
        boolean has = f.getValue().mtimeSeconds() <= held;
        byte[] bytes = has ? null : local.read(node, f.getKey(), maxFileBytes);
        sent += bytes == null ? 0 : bytes.length;
        if (sent > Bundle.MAX_ENTRY_BYTES) {
          return Optional.empty();
        }
        files.add(Bundle.File.of(f.getKey(), f.getValue(), bytes));
      }
    } catch (ReplicationException e) {
      return Optional.empty();
    }
    return Optional.of(new Bundle.Folder(node, mine.confirmed(), mine.generation(), files));
  }

  /**
   * Makes this node's copy of each folder of an upload equal to it, as a copy from a peer would
   * ({@link #copy}): only a folder confirmed later than the one held (another peer may have brought
   * a newer one meanwhile). Returns what was refused, each naming its file.
   */
  static List<String> take(Bundle upload, RemoteStore local, Map<String, Manifest.Folder> held) {
    Exchange exchange = new Exchange(Manifest.MAX_UPLOAD);
    Tally tally = new Tally();
    for (Bundle.Folder f : upload.folders()) {
      Manifest.Folder mine = held.get(f.node());
      if (mine != null && mine.confirmed() >= f.confirmed()) {
        continue;
      }
      try {
        exchange.copy(upload, local, f.node(), f.confirmed(), f.alive(), tally, false);
      } catch (ReplicationException e) {
        tally.errors.add(f.node() + ": " + e.getMessage());
      }
    }
    return tally.errors;
  }

  /**
   * Whether this node holds a folder that a peer, left as {@code left} by the last exchange, lacks:
   * one confirmed later than what the peer holds, in another generation, and not the peer's own.
   * Without any, a second exchange in the same round would only move confirmations, which the next
   * round brings.
   */
  static boolean newsFor(Manifest mine, Manifest left, String peer) {
    for (Map.Entry<String, Manifest.Folder> f : mine.folders().entrySet()) {
      Manifest.Folder theirs = left.folders().get(f.getKey());
      if (!f.getKey().equals(peer)
          && !f.getValue().sameGeneration(theirs)
          && (theirs == null || f.getValue().confirmed() > theirs.confirmed())) {
        return true;
      }
    }
    return false;
  }

  private Moved byAlive(
      RemoteStore local, RemoteStore peer, String self, String other, AliveMemo memo) {
    Tally tally = new Tally();
    TreeSet<String> nodes = new TreeSet<>(local.nodes());
    nodes.addAll(peer.nodes());
    for (String node : nodes) {
      long mine = mtime(local.stat(node, Layout.ALIVE));
      Optional<FileStat> theirs = peer.stat(node, Layout.ALIVE);
      // each side's generation, read only when asked for
      Supplier<byte[]> localSide = () -> local.read(node, Layout.ALIVE, MAX_GENERATION);
      Supplier<byte[]> peerSide = () -> generation(peer, node, theirs.orElseThrow(), memo);
      if (mine > mtime(theirs) && !node.equals(other)) {
        byte[] written =
            mirror(local, peer, node, mine, theirs.isPresent(), localSide, peerSide, tally, true);
        memo.remember(node, new FileStat(written.length, mine), written);
      } else if (mtime(theirs) > mine && !node.equals(self)) {
        mirror(peer, local, node, mtime(theirs), mine >= 0, peerSide, localSide, tally, false);
      }
    }
    return new Moved(tally.sent, tally.received, tally.deleted, tally.bytes, tally.errors);
  }

  private static long mtime(Optional<FileStat> alive) {
    return alive.map(FileStat::mtimeSeconds).orElse(-1L);
  }

  /** The peer's generation of a folder: from the memo while its {@code .alive} is unchanged. */
  private static byte[] generation(RemoteStore peer, String node, FileStat stat, AliveMemo memo) {
    return memo.generation(node, stat)
        .orElseGet(
            () -> {
              byte[] read = peer.read(node, Layout.ALIVE, MAX_GENERATION);
              memo.remember(node, stat, read);
              return read;
            });
  }

  /**
   * Makes {@code to}'s copy of a folder equal to {@code from}'s; {@code held}: whether {@code to}
   * has a {@code .alive} of that folder (already stat'ed). Returns what {@code to}'s {@code .alive}
   * holds now.
   */
  private byte[] mirror(
      RemoteStore from,
      RemoteStore to,
      String node,
      long alive,
      boolean held,
      Supplier<byte[]> fromGeneration,
      Supplier<byte[]> toGeneration,
      Tally tally,
      boolean sending) {
    byte[] generation = fromGeneration.get();
    if (generation.length > 0 && held && Arrays.equals(generation, toGeneration.get())) {
      to.touch(node, Layout.ALIVE, alive); // the same generation, confirmed later: nothing to list
      return generation;
    }
    return copy(from, to, node, alive, generation, tally, sending);
  }

  /**
   * Lists both copies of a folder and makes {@code to}'s equal to {@code from}'s, its {@code
   * .alive} ({@code generation}, confirmed at {@code alive}) written last. Returns what that holds
   * now: no generation after a refused file, so that the next exchange lists the folder again.
   */
  private byte[] copy(
      RemoteStore from,
      RemoteStore to,
      String node,
      long alive,
      byte[] generation,
      Tally tally,
      boolean sending) {
    int errors = tally.errors.size();
    Map<String, FileStat> source = from.list(node);
    Map<String, FileStat> target = to.list(node);
    for (Map.Entry<String, FileStat> f : source.entrySet()) {
      if (!f.getValue().equals(target.get(f.getKey()))) {
        try {
          byte[] bytes = from.read(node, f.getKey(), maxFileBytes);
          Optional<byte[]> gzip = from.gzipped(node, f.getKey());
          to.write(node, f.getKey(), bytes, gzip, f.getValue().mtimeSeconds());
          tally.bytes += bytes.length;
          if (sending) {
            tally.sent++;
          } else {
            tally.received++;
          }
        } catch (ReplicationException e) {
          tally.errors.add(node + "/" + f.getKey() + ": " + e.getMessage());
        }
      }
    }
    for (String gone : target.keySet()) {
      if (!source.containsKey(gone)) {
        to.delete(node, gone);
        tally.deleted++;
      }
    }
    // Without the generation after a refused file, the next exchange lists the folder again.
    byte[] written = tally.errors.size() == errors ? generation : new byte[0];
    to.write(node, Layout.ALIVE, written, alive);
    return written;
  }

  private static final class Tally {
    int sent;
    int received;
    int deleted;
    long bytes;
    final List<String> errors = new ArrayList<>();
  }
}
