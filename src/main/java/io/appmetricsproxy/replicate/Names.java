package io.appmetricsproxy.replicate;

import java.util.regex.Pattern;

/** The names that may appear in a shared folder; anything else is refused before it is used. */
final class Names {
  /** A node folder's confirmation: its mtime is when that node last vouched for the folder. */
  static final String ALIVE = ".alive";

  static final String SUFFIX = ".entry";

  /** A node folder or entry file name: no path separator, no leading dot, so never "..". */
  static final String PATTERN = "[A-Za-z0-9_][A-Za-z0-9._-]*";

  private static final Pattern NAME = Pattern.compile(PATTERN);

  private Names() {}

  static boolean valid(String name) {
    return NAME.matcher(name).matches();
  }

  static boolean entry(String name) {
    return valid(name) && name.endsWith(SUFFIX) && name.length() > SUFFIX.length();
  }

  static String checkedNode(String node) {
    if (!valid(node)) {
      throw new ReplicationException("not a node folder name: \"" + node + "\"");
    }
    return node;
  }

  /** An entry file or {@link #ALIVE}. */
  static String checkedFile(String file) {
    if (!entry(file) && !file.equals(ALIVE)) {
      throw new ReplicationException("not a store file name: \"" + file + "\"");
    }
    return file;
  }
}
