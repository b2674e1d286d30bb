package io.appmetricsproxy.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every node folder a store holds, in one small file at the root of its shared folder ({@link
 * Layout#MANIFEST}): per folder the generation its {@code .alive} holds and when its node confirmed
 * it, so that an exchange reads one file instead of stat'ing every folder's {@code .alive}. The
 * {@code .alive} files stay the truth; a node derives its manifest from them.
 *
 * <pre>
 * amp-manifest 1 &lt;as of: its latest confirmation, epoch seconds&gt;
 * &lt;node&gt; &lt;generation, or - when none&gt;
 * ...
 * ages &lt;for each folder line in turn: seconds before "as of" its node confirmed it&gt; ...
 * end &lt;number of folder lines&gt;
 * </pre>
 *
 * The header's version says what the store behind it takes ({@link Takes}): 1, a plain file (what a
 * client writes into a peer's folder, such as a plain OpenSSH account); 2, a proxy's store, which
 * also takes the folders a client copies in the upload of its manifest ({@code replicate.Bundle}),
 * in one file instead of a few SFTP requests per file; 3, a proxy's store that also takes the
 * entries of those folders gzipped. A reader refuses a later version than its own and falls back to
 * the {@code .alive} files: older nodes still exchange with newer ones.
 *
 * <p>What changes from one round to the next, the confirmations, is kept apart from what does not,
 * and written as ages, which stay about the same when every node confirms once an interval: one
 * node's manifests differ little from one to the next, and the SSH session's compression sends
 * little more than that difference. A file that does not parse as a whole (torn, foreign, another
 * version) is no manifest: the exchange then falls back to the folders' {@code .alive} files.
 */
public record Manifest(Map<String, Folder> folders, Takes takes) {
  /** What the store behind a manifest takes in the upload of a manifest, by its header. */
  public enum Takes {
    /** Version 1: the manifest alone. */
    MANIFEST("amp-manifest 1 "),
    /** Version 2: the folders a client copies with it. */
    FOLDERS("amp-manifest 2 "),
    /**
     * Version 3: those folders with their entries gzipped, compressed once for all peers where the
     * SSH session's compression deflates each copy again.
     */
    GZIPPED_FOLDERS("amp-manifest 3 ");

    private final String header;

    Takes(String header) {
      this.header = header; // each as long as the others: "as of" follows at the same place
    }
  }

  private static final String NONE = "-";
  private static final String AGES = "ages";

  /** The largest manifest read: a line of at most about 200 bytes per folder, 10,000 folders. */
  public static final long MAX_BYTES = 2 << 20;

  /**
   * The largest upload of a manifest a store takes: the manifest, and the folders copied with it
   * (version 2 or later), whose entries a client keeps to 8 MiB, inflated where they came gzipped.
   */
  public static final long MAX_UPLOAD = MAX_BYTES + (24 << 20);

  /** A generation: 1 to 64 printable ASCII characters, no space. */
  static boolean validGeneration(String g) {
    if (g.isEmpty() || g.length() > 64) {
      return false;
    }
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c < '!' || c > '~') {
        return false;
      }
    }
    return true;
  }

  /**
   * One folder's {@code .alive} as a manifest tells it.
   *
   * @param confirmed its mtime, epoch seconds
   * @param generation its content, trimmed; empty when it holds none (a refused file)
   */
  public record Folder(long confirmed, String generation) {
    public Folder {
      if (generation.equals(NONE) || !generation.isEmpty() && !validGeneration(generation)) {
        generation = ""; // a generation that a manifest cannot carry is none
      }
    }

    /** The generation of {@code .alive} bytes as a node reads them. */
    public static String generationOf(byte[] alive) {
      return new String(alive, StandardCharsets.UTF_8).trim();
    }

    /**
     * The second this generation was confirmed in (a node writes its confirmation's epoch
     * milliseconds); before all time for none, or one that is not a time. Every file its node
     * writes later has a later mtime second ({@link Store#put}), so a peer that holds this
     * generation holds every file of the folder whose mtime second is not later.
     */
    public long generationSecond() {
      try {
        return Math.floorDiv(Long.parseLong(generation), 1000);
      } catch (NumberFormatException e) {
        return Long.MIN_VALUE;
      }
    }

    /** Both hold the same folder content: the same generation, and one at all. */
    public boolean sameGeneration(Folder o) {
      return o != null && !generation.isEmpty() && generation.equals(o.generation);
    }

    /**
     * Written out, not left to the record: the JDK 17 bootstrap of a record's equals ({@code
     * ObjectMethods}) adapts a shared static method handle to the record's class and keeps the last
     * one in that handle's one-entry cache, so the last record linked after an undeployment holds
     * the webapp's class loader (UndeployIT finds it). Folders are compared at every cycle.
     */
    @Override
    public boolean equals(Object o) {
      return o instanceof Folder f && confirmed == f.confirmed && generation.equals(f.generation);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(confirmed) * 31 + generation.hashCode();
    }

    /** What its {@code .alive} holds. */
    public byte[] alive() {
      return generation.isEmpty()
          ? new byte[0]
          : (generation + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }

  public Manifest {
    folders = FolderMap.of(folders);
    Objects.requireNonNull(takes);
  }

  /** {@link #folders}, as what they are: in the order of their node names. */
  public FolderMap byNode() {
    return (FolderMap) folders;
  }

  /** A plain manifest (version 1): what a client writes. */
  public Manifest(Map<String, Folder> folders) {
    this(folders, Takes.MANIFEST);
  }

  /** Whether the store behind it takes the folders a client copies with its manifest. */
  public boolean takesFolders() {
    return takes != Takes.MANIFEST;
  }

  /** Whether it takes those folders' entries gzipped. */
  public boolean takesGzippedEntries() {
    return takes == Takes.GZIPPED_FOLDERS;
  }

  /**
   * The manifest's bytes, its ages counted from its latest confirmation: each node confirms its
   * folder at its own point of the interval, so from one manifest to the next the ages stay the
   * same (where they are counted from the time of writing, every one of them changes), and the SSH
   * session's compression sends little more than the header.
   */
  public byte[] format() {
    long asOfSeconds = folders.values().stream().mapToLong(Folder::confirmed).max().orElse(0);
    StringBuilder b = new StringBuilder(takes.header).append(asOfSeconds).append('\n');
    StringBuilder ages = new StringBuilder(AGES);
    for (Map.Entry<String, Folder> f : folders.entrySet()) {
      Folder folder = f.getValue();
      b.append(f.getKey())
          .append(' ')
          .append(folder.generation().isEmpty() ? NONE : folder.generation())
          .append('\n');
      ages.append(' ').append(asOfSeconds - folder.confirmed());
    }
    b.append(ages).append('\n');
    b.append("end ").append(folders.size()).append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code bytes} end as a whole manifest does: with its {@code end} line, counting the
   * folder lines before it. A reader that has that much of a file need not read on to its end.
   */
  public static boolean whole(byte[] bytes) {
    int length = bytes.length;
    if (length < 2 || bytes[length - 1] != '\n') {
      return false;
    }
    int start = length - 2;
    while (start >= 0 && bytes[start] != '\n') {
      start--;
    }
    String last = new String(bytes, start + 1, length - start - 2, StandardCharsets.US_ASCII);
    int lines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        lines++;
      }
    }
    return last.equals("end " + (lines - 3)); // header, folders..., ages, end
  }

  /**
   * The manifest {@code bytes} hold; empty when they are not one as a whole. Read in place, by
   * positions in one string of the whole (an exchange reads one per peer and round): only the node
   * names and generations become strings of their own.
   */
  public static Optional<Manifest> parse(byte[] bytes) {
    // every byte a char: what is not ASCII fails the checks of names, generations and numbers
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    Takes takes = null;
    for (Takes t : Takes.values()) {
      takes = text.startsWith(t.header) ? t : takes;
    }
    if (takes == null || !text.endsWith("\n")) {
      return Optional.empty();
    }
    // lines: header, folders..., "ages ...", "end <n>"; each ends with a newline
    int lines = 0;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lines++;
    }
    if (lines < 3) {
      return Optional.empty();
    }
    int count = lines - 3;
    try {
      int headerEnd = text.indexOf('\n');
      long asOf = Long.parseLong(text, takes.header.length(), headerEnd, 10);
      String[] nodes = new String[count];
      String[] generations = new String[count];
      int line = headerEnd + 1;
      for (int i = 0; i < count; i++) {
        int lineEnd = text.indexOf('\n', line);
        int space = text.indexOf(' ', line);
        if (space < 0 || space > lineEnd) {
          return Optional.empty();
        }
        String node = text.substring(line, space);
        String held = text.substring(space + 1, lineEnd);
        if (!Layout.valid(node) || !(held.equals(NONE) || validGeneration(held))) {
          return Optional.empty(); // validGeneration: no second space either
        }
        nodes[i] = node;
        generations[i] = held.equals(NONE) ? "" : held;
        line = lineEnd + 1;
      }
      int agesEnd = text.indexOf('\n', line);
      if (!text.startsWith(AGES, line) || !text.startsWith("end " + count + "\n", agesEnd + 1)) {
        return Optional.empty();
      }
      Folder[] folders = new Folder[count];
      int at = line + AGES.length(); // at each age's space
      for (int i = 0; i < count; i++) {
        if (at >= agesEnd || text.charAt(at) != ' ') {
          return Optional.empty();
        }
        int next = text.indexOf(' ', at + 1);
        int ageEnd = next < 0 || next > agesEnd ? agesEnd : next;
        long age = Long.parseLong(text, at + 1, ageEnd, 10);
        folders[i] = new Folder(Math.subtractExact(asOf, age), generations[i]);
        at = ageEnd;
      }
      if (at != agesEnd) {
        return Optional.empty(); // more ages than folders
      }
      // empty where one folder comes twice
      Takes taking = takes;
      return FolderMap.ofPairs(nodes, folders).map(f -> new Manifest(f, taking));
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
