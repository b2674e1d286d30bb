package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.SharedNames;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a path under the SFTP root sits in the replication layout; anything else is OTHER. */
record Place(Kind kind, String node, String file) {
  enum Kind {
    ROOT,
    NODE_FILE,
    NODE,
    ENTRY,
    TEMP,
    OTHER
  }

  static final String NAME = SharedNames.PATTERN;
  private static final Pattern NODE_NAME = Pattern.compile(NAME);

  /** Entry files, and {@code .alive}: it moves like one (see {@link Exchange}). */
  private static final Pattern ENTRY_NAME = Pattern.compile(NAME + "\\.entry|\\.alive");

  private static final Pattern TEMP_NAME =
      Pattern.compile("\\.(" + NAME + "\\.entry|\\.alive)\\.part-[A-Za-z0-9]+");

  /** Classifies the normalized absolute form of {@code path}, so {@code ..} cannot mislead it. */
  static Place of(Path path) {
    Path p = path.toAbsolutePath().normalize();
    int count = p.getNameCount();
    if (count == 0) {
      return new Place(Kind.ROOT, null, null);
    }
    String first = p.getName(0).toString();
    if (count == 1) {
      if (first.equals(RemoteStore.NODE_FILE)) {
        return new Place(Kind.NODE_FILE, null, first);
      }
      if (NODE_NAME.matcher(first).matches()) {
        return new Place(Kind.NODE, first, null);
      }
    }
    if (count == 2 && NODE_NAME.matcher(first).matches()) {
      String second = p.getName(1).toString();
      if (ENTRY_NAME.matcher(second).matches()) {
        return new Place(Kind.ENTRY, first, second);
      }
      if (TEMP_NAME.matcher(second).matches()) {
        return new Place(Kind.TEMP, first, second);
      }
    }
    return new Place(Kind.OTHER, null, null);
  }

  /** The entry file name that this temp file is renamed to. */
  String entryOfTemp() {
    Matcher m = TEMP_NAME.matcher(file);
    if (kind != Kind.TEMP || !m.matches()) {
      throw new IllegalStateException("not a temp file: " + this);
    }
    return m.group(1);
  }

  boolean is(Kind k) {
    return kind == k;
  }
}
