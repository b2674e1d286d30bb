package io.appmetricsproxy.replicate;

/** A peer that records every call but {@code node()} and {@code nodes()}. */
final class RecordingStore implements RemoteStore {
  final java.util.List<String> calls = new java.util.ArrayList<>();
  private final RemoteStore inner;

  private final boolean withManifest;
  boolean takesManifest;
  io.appmetricsproxy.store.Manifest stale;

  /** Its manifest as a plain folder's (version 1): it takes no folders in the upload. */
  boolean plain;

  /** What its manifest says it takes, where not null: e.g. an earlier proxy's version 2. */
  io.appmetricsproxy.store.Manifest.Takes takes;

  /** The bytes of every manifest written to it. */
  final java.util.List<byte[]> written = new java.util.ArrayList<>();

  /** Runs before the next read, once: e.g. a cycle that rewrites the file meanwhile. */
  Runnable beforeRead;

  /** A peer without a manifest (an older version), which takes none either. */
  RecordingStore(RemoteStore inner) {
    this(inner, false);
  }

  RecordingStore(RemoteStore inner, boolean withManifest) {
    this.inner = inner;
    this.withManifest = withManifest;
    this.takesManifest = withManifest;
  }

  @Override
  public java.util.Optional<io.appmetricsproxy.store.Manifest> manifest() {
    calls.add("manifest");
    java.util.Optional<io.appmetricsproxy.store.Manifest> m =
        stale != null
            ? java.util.Optional.of(stale)
            : withManifest ? inner.manifest() : java.util.Optional.empty();
    io.appmetricsproxy.store.Manifest.Takes as =
        plain ? io.appmetricsproxy.store.Manifest.Takes.MANIFEST : takes;
    return as == null ? m : m.map(x -> new io.appmetricsproxy.store.Manifest(x.folders(), as));
  }

  @Override
  public void writeManifest(byte[] bytes) {
    calls.add("writeManifest");
    written.add(bytes);
    if (!takesManifest) {
      throw new ReplicationException("refused");
    }
    inner.writeManifest(bytes);
  }

  @Override
  public java.util.OptionalLong changes() {
    return inner.changes();
  }

  @Override
  public String node() {
    return inner.node();
  }

  @Override
  public java.util.List<String> nodes() {
    return inner.nodes();
  }

  @Override
  public java.util.Map<String, FileStat> list(String node) {
    calls.add("list " + node);
    return inner.list(node);
  }

  @Override
  public java.util.Optional<FileStat> stat(String node, String file) {
    calls.add("stat " + node + "/" + file);
    return inner.stat(node, file);
  }

  @Override
  public byte[] read(String node, String file, long maxBytes) {
    calls.add("read " + node + "/" + file);
    Runnable before = beforeRead;
    beforeRead = null;
    if (before != null) {
      before.run();
    }
    return inner.read(node, file, maxBytes);
  }

  @Override
  public void write(String node, String file, byte[] bytes, long mtimeSeconds) {
    calls.add("write " + node + "/" + file);
    inner.write(node, file, bytes, mtimeSeconds);
  }

  @Override
  public void touch(String node, String file, long mtimeSeconds) {
    calls.add("touch " + node + "/" + file);
    inner.touch(node, file, mtimeSeconds);
  }

  @Override
  public void delete(String node, String file) {
    calls.add("delete " + node + "/" + file);
    inner.delete(node, file);
  }

  @Override
  public void close() {}
}
