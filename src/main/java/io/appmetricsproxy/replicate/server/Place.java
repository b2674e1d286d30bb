package io.appmetricsproxy.replicate.server;

import io.appmetricsproxy.store.Layout;
import java.nio.file.Path;
import java.util.Optional;

/** Where a path under the SFTP root sits in the store's {@link Layout}; anything else is OTHER. */
record Place(Kind kind, String node, String file) {
  enum Kind {
    ROOT,
    NODE_FILE,
    MANIFEST,
    MANIFEST_TEMP,
    NODE,
    ENTRY,
    TEMP,
    OTHER
  }

  /** Classifies the normalized absolute form of {@code path}, so {@code ..} cannot mislead it. */
  static Place of(Path path) {
    Path p = path.toAbsolutePath().normalize();
    int count = p.getNameCount();
    if (count == 0) {
      return new Place(Kind.ROOT, null, null);
    }
    String first = p.getName(0).toString();
    if (count == 1) {
      if (first.equals(Layout.NODE_FILE)) {
        return new Place(Kind.NODE_FILE, null, first);
      }
      if (first.equals(Layout.MANIFEST)) {
        return new Place(Kind.MANIFEST, null, first);
      }
      if (Layout.manifestUpload(first)) {
        return new Place(Kind.MANIFEST_TEMP, null, first);
      }
      if (Layout.valid(first)) {
        return new Place(Kind.NODE, first, null);
      }
    }
    if (count == 2 && Layout.valid(first)) {
      String second = p.getName(1).toString();
      if (Layout.moved(second)) {
        return new Place(Kind.ENTRY, first, second);
      }
      if (Layout.uploadOf(second).isPresent()) {
        return new Place(Kind.TEMP, first, second);
      }
    }
    return new Place(Kind.OTHER, null, null);
  }

  /** The entry file name that this temp file is renamed to. */
  String entryOfTemp() {
    return Optional.ofNullable(kind == Kind.TEMP ? file : null)
        .flatMap(Layout::uploadOf)
        .orElseThrow(() -> new IllegalStateException("not a temp file: " + this));
  }

  boolean is(Kind k) {
    return kind == k;
  }
}
