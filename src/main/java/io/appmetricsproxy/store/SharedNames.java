package io.appmetricsproxy.store;

import java.util.regex.Pattern;

/**
 * The names in the store's shared folder, which replication reads and writes on other nodes too:
 * node folders, {@code <container>.entry} files and each node folder's {@code .alive}. Anything
 * else found there is never used.
 */
public final class SharedNames {
  /** A node folder's confirmation: its mtime is when that node last confirmed the folder. */
  public static final String ALIVE = ".alive";

  public static final String ENTRY_SUFFIX = ".entry";

  /** A node folder or entry file name: no path separator, no leading dot, so never "..". */
  public static final String PATTERN = "[A-Za-z0-9_][A-Za-z0-9._-]*";

  private static final Pattern NAME = Pattern.compile(PATTERN);

  private SharedNames() {}

  /** A name a node folder or an entry file may have. */
  public static boolean valid(String name) {
    return NAME.matcher(name).matches();
  }

  /** An entry file's name. */
  public static boolean entry(String name) {
    return valid(name) && name.endsWith(ENTRY_SUFFIX) && name.length() > ENTRY_SUFFIX.length();
  }

  /** An entry file's name or {@link #ALIVE}: what a node folder may hold. */
  public static boolean file(String name) {
    return entry(name) || ALIVE.equals(name);
  }
}
