package io.appmetricsproxy.store;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every name of the store's folder, which replication reads and writes on other nodes too: {@code
 * shared/<node>/<container>.entry} (what replication moves, the SFTP root), {@code local/<node>/…}
 * (entries that stay on this node), {@code shared/<node>/.alive} (its mtime: when that node last
 * confirmed its folder; its content: the folder's generation), {@code shared/.node} (the name of
 * the node that serves the folder), {@code shared/.manifest} (every folder's generation and
 * confirmation in one file, see {@link Manifest}), and the dot-named temp files that writers rename
 * into place. Anything else found there is never used.
 */
public final class Layout {
  /** The folder replication exchanges, below the store's folder. */
  public static final String SHARED = "shared";

  /** The folder of entries that stay on this node, below the store's folder. */
  public static final String LOCAL = "local";

  /** At the root of the shared folder: the node name of the proxy that serves it. */
  public static final String NODE_FILE = ".node";

  /**
   * At the root of the shared folder: every node folder's generation and confirmation in one file
   * ({@link Manifest}), which an exchange reads and writes once.
   */
  public static final String MANIFEST = ".manifest";

  /** A node folder's confirmation: its mtime is when that node last confirmed the folder. */
  public static final String ALIVE = ".alive";

  public static final String ENTRY_SUFFIX = ".entry";

  /** A node folder or entry file name: no path separator, no leading dot, so never "..". */
  public static final String NAME = "[A-Za-z0-9_][A-Za-z0-9._-]*";

  /** Entry files, and {@code .alive}: it moves like one. */
  private static final Pattern MOVED = Pattern.compile(NAME + "\\.entry|\\.alive");

  /** What a replication client uploads and then renames over the manifest. */
  private static final Pattern MANIFEST_UPLOAD = Pattern.compile("\\.manifest\\.part-[A-Za-z0-9]+");

  /** What a replication client uploads and then renames into a node folder. */
  private static final Pattern UPLOAD =
      Pattern.compile("\\.(" + NAME + "\\.entry|\\.alive)\\.part-[A-Za-z0-9]+");

  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private Layout() {}

  /** A name a node folder or an entry file may have. */
  public static boolean valid(String name) {
    if (name == null
        || name.isEmpty()
        || !nameChar(name.charAt(0))
        || name.charAt(0) == '.'
        || name.charAt(0) == '-') {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!nameChar(name.charAt(i))) {
        return false;
      }
    }
    return true; // NAME, checked by hand: every exchange checks every folder name of a manifest
  }

  private static boolean nameChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '_'
        || c == '.'
        || c == '-';
  }

  /** An entry file's name. */
  public static boolean entry(String name) {
    return valid(name) && name.endsWith(ENTRY_SUFFIX) && name.length() > ENTRY_SUFFIX.length();
  }

  /** An entry file's name or {@link #ALIVE}: what a node folder may hold. */
  public static boolean file(String name) {
    return entry(name) || ALIVE.equals(name);
  }

  /** The same as {@link #file}, by pattern: what the SFTP server lets clients write. */
  public static boolean moved(String name) {
    return MOVED.matcher(name).matches();
  }

  /** A node folder name, or the store exception that says why it is not one. */
  public static String checkedNode(String node) {
    if (!valid(node)) {
      throw new StoreException("not a node folder name: \"" + node + "\"", null);
    }
    return node;
  }

  /** An entry file or {@link #ALIVE}, or the store exception that says why it is neither. */
  public static String checkedFile(String file) {
    if (file == null || !file(file)) {
      throw new StoreException("not a store file name: \"" + file + "\"", null);
    }
    return file;
  }

  /** A node name or container id as a file name: unsafe characters become "_". */
  public static String safe(String s) {
    // asked for every entry at every snapshot: the pattern only where a character needs it
    String cleaned = allSafe(s) ? s : UNSAFE.matcher(s).replaceAll("_");
    return cleaned.startsWith(".") || cleaned.isEmpty() ? "_" + cleaned : cleaned;
  }

  private static boolean allSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
          && c != '.'
          && c != '_'
          && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** The entry file of a container. */
  public static String entryFile(String containerId) {
    return safe(containerId) + ENTRY_SUFFIX;
  }

  /** Unique across the cluster: two replicas on two nodes never share it. */
  public static String key(String node, String containerId) {
    return node + "/" + containerId;
  }

  /** The temp file that the store writes and renames over {@code target}. */
  static Path storeTemp(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + random(13));
  }

  /** Whether a dot file of a node folder is a temp file some writer may have left behind. */
  static boolean temp(String name) {
    return name.startsWith(".") && !name.equals(ALIVE);
  }

  /** The name under which a replication client uploads {@code file} before renaming it. */
  public static String upload(String file) {
    return "." + file + ".part-" + random(10);
  }

  /** The name under which a replication client uploads the manifest before renaming it. */
  public static String manifestUpload() {
    return MANIFEST + ".part-" + random(10);
  }

  /** Whether {@code name} is an upload of the manifest ({@link #manifestUpload}). */
  public static boolean manifestUpload(String name) {
    return MANIFEST_UPLOAD.matcher(name).matches();
  }

  /** The file that the upload {@code name} is renamed to; empty when it is no upload. */
  public static Optional<String> uploadOf(String name) {
    Matcher m = UPLOAD.matcher(name);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static String random(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
    }
    return s.toString();
  }
}
