package io.appmetricsproxy.replicate;

import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.store.EntryFile;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Manifest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * The node folders a client copies into a peer's store in the upload of its manifest, for a peer
 * whose manifest says it takes them ({@link Manifest#takesFolders}): one file per exchange instead
 * of a listing and a few SFTP requests per file. Each folder carries its whole listing, and the
 * bytes of the entries the peer lacks; the peer makes its copy equal to it as an exchange would
 * ({@link Exchange#take}), its {@code .alive} last, and without one when an entry it lacks was not
 * sent, so that the next exchange sends them all.
 *
 * <pre>
 * folder &lt;node&gt; &lt;confirmed, epoch seconds&gt; &lt;generation, or -&gt; &lt;files&gt;
 * &lt;entry file&gt; &lt;size&gt; &lt;mtime&gt; &lt;bytes that follow: size, or - when not sent&gt;
 * &lt;the entry's bytes, then a newline&gt;
 * &lt;entry file&gt; &lt;size&gt; &lt;mtime&gt; &lt;header bytes&gt;+&lt;gzip bytes&gt;
 * &lt;the entry's header as it is, its exposition gzipped, then a newline&gt;
 * ...
 * &lt;manifest, as {@link Manifest#format}&gt;
 * folders &lt;offset of the manifest&gt; &lt;number of folders&gt;
 * </pre>
 *
 * An entry goes gzipped to a peer whose manifest says it takes that ({@link
 * Manifest#takesGzippedEntries}): the folder is bundled once for all peers of a round, and so is
 * its gzip, where the SSH session's compression deflates each peer's copy again (at 200 nodes a
 * change goes to 199 peers, and deflating 10 KB entries was a quarter of a manager's CPU). The
 * header stays as it is, and the gzip is one member without header fields as {@link Payload#gzip}
 * makes it, which the peer keeps as the payload's own rather than gzip the exposition again; a gzip
 * in any other form is refused as torn.
 *
 * <p>The last line sets the upload apart from a plain manifest, whose last line is {@code end <n>};
 * anything that does not parse as a whole is refused, and nothing of it is taken. The manifest
 * comes last so that the next upload's manifest, which differs little from it, finds it within the
 * SSH session compression's window (32 KB back) however many entries this one carried.
 */
final class Bundle implements RemoteStore {
  /**
   * The most bytes of entries a client puts in one upload, well within what a peer takes ({@link
   * Manifest#MAX_UPLOAD}); further folders go file by file.
   */
  static final long MAX_ENTRY_BYTES = 8 << 20;

  private static final Pattern TRAILER = Pattern.compile("folders (\\d{1,10}) (\\d{1,6})\n$");
  private static final Pattern GENERATION = Pattern.compile("-|[!-~]{1,64}");
  private static final int GZIP_HEADER = 10; // without fields: ID1 ID2 CM FLG MTIME XFL OS
  private static final int GZIP_TRAILER = 8; // CRC-32 and size, little-endian

  /**
   * One file of a folder: {@code bytes} null where the peer has it already; {@code gzipped} its
   * form for a peer that takes entries gzipped, null where it goes as it is.
   */
  record File(String name, FileStat stat, byte[] bytes, Gzipped gzipped) {
    /** A file whose bytes are sent ({@code bytes}, or null where the peer has them). */
    static File of(String name, FileStat stat, byte[] bytes) {
      return new File(name, stat, bytes, bytes == null ? null : Gzipped.of(bytes));
    }
  }

  /**
   * An entry file's header (its first {@code header} bytes, to the blank line) and its exposition
   * gzipped.
   */
  record Gzipped(int header, byte[] gzip) {
    /**
     * Null where the bytes have no blank line, and go as they are; the gzip is the one a payload of
     * the exposition keeps ({@link Payload#gzip}).
     */
    static Gzipped of(byte[] entry) {
      int header = EntryFile.headerLength(entry);
      return header < 0
          ? null
          : new Gzipped(header, Payload.gzip(entry, header, entry.length - header));
    }
  }

  /** One node folder as the client holds it, confirmed at {@code confirmed}. */
  record Folder(String node, long confirmed, String generation, List<File> files) {
    Folder {
      files = List.copyOf(files);
    }

    /** What its {@code .alive} holds. */
    byte[] alive() {
      return new Manifest.Folder(confirmed, generation).alive();
    }

    /**
     * Whether each entry it carries is as long as its listing says; not where a file was replaced
     * between the listing and the read, which a peer refuses as torn.
     */
    boolean asListed() {
      return files.stream().allMatch(f -> f.bytes() == null || f.bytes().length == f.stat().size());
    }

    /** The files whose bytes it carries. */
    int sentFiles() {
      return (int) files.stream().filter(f -> f.bytes() != null).count();
    }

    /** The bytes of entries it carries. */
    long sentBytes() {
      return files.stream().filter(f -> f.bytes() != null).mapToLong(f -> f.bytes().length).sum();
    }
  }

  /** An upload split: the manifest and the folders that came with it. */
  record Upload(byte[] manifest, Bundle folders) {}

  private final Map<String, Folder> folders;

  Bundle(List<Folder> folders) {
    Map<String, Folder> byNode = new LinkedHashMap<>();
    folders.forEach(f -> byNode.put(f.node(), f));
    this.folders = Collections.unmodifiableMap(byNode);
  }

  List<Folder> folders() {
    return List.copyOf(folders.values());
  }

  /**
   * The upload of {@code folders} with {@code manifest} after them; with {@code gzipped}, each
   * entry that has a gzipped form in it.
   */
  static byte[] upload(byte[] manifest, List<Folder> folders, boolean gzipped) {
    int size = manifest.length + 64;
    for (Folder f : folders) {
      size += 64;
      for (File file : f.files()) {
        size += 64 + file.name().length() + (file.bytes() == null ? 0 : file.bytes().length + 1);
      }
    }
    // sized for it all: the entries' bytes are copied once, not again each time it would grow
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    for (Folder f : folders) {
      String generation = f.generation().isEmpty() ? "-" : f.generation();
      line(
          out,
          "folder " + f.node() + " " + f.confirmed() + " " + generation + " " + f.files().size());
      for (File file : f.files()) {
        Gzipped gz = gzipped ? file.gzipped() : null;
        String sent =
            file.bytes() == null
                ? "-"
                : gz == null
                    ? Integer.toString(file.bytes().length)
                    : gz.header() + "+" + gz.gzip().length;
        line(
            out,
            file.name() + " " + file.stat().size() + " " + file.stat().mtimeSeconds() + " " + sent);
        if (gz != null) {
          out.write(file.bytes(), 0, gz.header());
          out.writeBytes(gz.gzip());
          out.write('\n');
        } else if (file.bytes() != null) {
          out.writeBytes(file.bytes());
          out.write('\n'); // each line starts after a newline, the last one too
        }
      }
    }
    int offset = out.size();
    out.writeBytes(manifest);
    line(out, "folders " + offset + " " + folders.size());
    return out.toByteArray();
  }

  private static void line(ByteArrayOutputStream out, String line) {
    out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The manifest and folders of an upload; a plain manifest comes back with no folders.
   *
   * @throws ReplicationException when the folders do not parse as a whole
   */
  static Upload split(byte[] upload) {
    int lastLine = lastLineStart(upload);
    String last = new String(upload, lastLine, upload.length - lastLine, StandardCharsets.US_ASCII);
    Matcher trailer = TRAILER.matcher(last);
    if (!last.startsWith("folders ") || !trailer.matches()) {
      return new Upload(upload, new Bundle(List.of()));
    }
    long offset = Long.parseLong(trailer.group(1));
    int count = Integer.parseInt(trailer.group(2));
    if (offset > lastLine) {
      throw torn("its manifest starts past its end");
    }
    Cursor c = new Cursor(upload, 0, (int) offset);
    List<Folder> folders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      folders.add(c.folder());
    }
    if (c.at != offset) {
      throw torn("bytes between its last folder and its manifest");
    }
    if (folders.stream().map(Folder::node).distinct().count() != folders.size()) {
      throw torn("a folder twice");
    }
    return new Upload(Arrays.copyOfRange(upload, (int) offset, lastLine), new Bundle(folders));
  }

  private static int lastLineStart(byte[] bytes) {
    int i = bytes.length - 2;
    while (i >= 0 && bytes[i] != '\n') {
      i--;
    }
    return i + 1;
  }

  private static ReplicationException torn(String why) {
    return new ReplicationException("the folders uploaded with the manifest are torn: " + why);
  }

  /** Reads the folder lines and the bytes between them. */
  private static final class Cursor {
    private final byte[] bytes;
    private final int end;
    private int at;
    private long inflated; // bytes of the entries sent gzipped, once inflated

    Cursor(byte[] bytes, int at, int end) {
      this.bytes = bytes;
      this.at = at;
      this.end = end;
    }

    Folder folder() {
      String[] head = line().split(" ", -1);
      if (head.length != 5
          || !head[0].equals("folder")
          || !Layout.valid(head[1])
          || !GENERATION.matcher(head[3]).matches()) {
        throw torn("a folder line is not \"folder <node> <confirmed> <generation> <files>\"");
      }
      long confirmed = number(head[2]);
      long count = number(head[4]);
      List<File> files = new ArrayList<>();
      for (long i = 0; i < count; i++) {
        String[] f = line().split(" ", -1);
        if (f.length != 4 || !Layout.entry(f[0])) {
          throw torn("a file line of " + head[1] + " is not \"<entry> <size> <mtime> <sent>\"");
        }
        FileStat stat = new FileStat(number(f[1]), number(f[2]));
        byte[] sent = null;
        int plus = f[3].indexOf('+');
        if (plus >= 0) {
          files.add(
              gunzipped(
                  head[1],
                  f[0],
                  stat,
                  number(f[3].substring(0, plus)),
                  number(f[3].substring(plus + 1))));
          continue;
        } else if (!f[3].equals("-")) {
          long length = number(f[3]);
          if (length != stat.size() || length >= end - at || bytes[at + (int) length] != '\n') {
            throw torn(head[1] + "/" + f[0] + " is not as long as its line says");
          }
          sent = Arrays.copyOfRange(bytes, at, at + (int) length);
          at += (int) length + 1;
        }
        files.add(new File(f[0], stat, sent, null));
      }
      if (files.stream().map(File::name).distinct().count() != files.size()) {
        throw torn("a file of " + head[1] + " twice");
      }
      return new Folder(head[1], confirmed, head[3].equals("-") ? "" : head[3], files);
    }

    /**
     * An entry sent as its header and its exposition gzipped: whole, as long as its line says, and
     * within what an upload takes in all ({@link Manifest#MAX_UPLOAD}, inflated).
     */
    private File gunzipped(String node, String name, FileStat stat, long header, long gzip) {
      String file = node + "/" + name;
      long exposition = stat.size() - header;
      if (exposition < 0
          || header + gzip >= end - at
          || bytes[at + (int) (header + gzip)] != '\n') {
        throw torn(file + " is not as long as its line says");
      }
      inflated += stat.size();
      if (inflated > Manifest.MAX_UPLOAD) {
        throw torn("its entries inflate past " + Manifest.MAX_UPLOAD + " bytes");
      }
      byte[] entry = new byte[(int) stat.size()];
      System.arraycopy(bytes, at, entry, 0, (int) header);
      int from = at + (int) header;
      String wrong = inflate(bytes, from, (int) gzip, entry, (int) header);
      if (wrong != null) {
        throw torn(file + " " + wrong);
      }
      at += (int) (header + gzip) + 1;
      return new File(
          name,
          stat,
          entry,
          new Gzipped((int) header, Arrays.copyOfRange(bytes, from, from + (int) gzip)));
    }

    /**
     * Inflates {@code length} bytes of {@code in} from {@code offset}, one gzip member without
     * header fields as {@link Payload#gzip} makes it, into the rest of {@code out} from {@code
     * start}: exactly, its CRC and size checked, and nothing after it, so that the gzip is a
     * payload's as it is. What is wrong with it, or null.
     */
    private static String inflate(byte[] in, int offset, int length, byte[] out, int start) {
      int end = offset + length;
      if (length < GZIP_HEADER + GZIP_TRAILER
          || ((in[offset] & 0xff) | (in[offset + 1] & 0xff) << 8) != GZIPInputStream.GZIP_MAGIC
          || in[offset + 2] != Deflater.DEFLATED
          || in[offset + 3] != 0) {
        return "is not gzipped as one plain gzip member";
      }
      Inflater inflater = new Inflater(true);
      try {
        inflater.setInput(in, offset + GZIP_HEADER, length - GZIP_HEADER);
        int at = start;
        byte[] past = new byte[1]; // once out is full: whether the stream ends there
        while (!inflater.finished()) {
          int n =
              at < out.length ? inflater.inflate(out, at, out.length - at) : inflater.inflate(past);
          if (at == out.length && n > 0) {
            return "inflates past as long as its line says";
          }
          if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            return "does not inflate to as long as its line says";
          }
          at += n;
        }
        if (at != out.length) {
          return "does not inflate to as long as its line says";
        }
        if (inflater.getRemaining() != GZIP_TRAILER) {
          return "is not one gzip member and its trailer alone";
        }
      } catch (DataFormatException e) {
        return "does not inflate: " + e.getMessage();
      } finally {
        inflater.end();
      }
      CRC32 crc = new CRC32();
      crc.update(out, start, out.length - start);
      if (littleEndian(in, end - 8) != crc.getValue()
          || littleEndian(in, end - 4) != ((out.length - start) & 0xffffffffL)) {
        return "does not inflate to what its gzip trailer says";
      }
      return null;
    }

    private static long littleEndian(byte[] b, int at) {
      return (b[at] & 0xffL)
          | (b[at + 1] & 0xffL) << 8
          | (b[at + 2] & 0xffL) << 16
          | (b[at + 3] & 0xffL) << 24;
    }

    private String line() {
      int nl = at;
      while (nl < end && bytes[nl] != '\n') {
        nl++;
      }
      if (nl >= end || nl - at > 1024) {
        throw torn("a line is cut");
      }
      String line = new String(bytes, at, nl - at, StandardCharsets.UTF_8);
      at = nl + 1;
      return line;
    }

    private static long number(String s) {
      if (!s.matches("\\d{1,19}")) {
        throw torn("\"" + s + "\" is not a number");
      }
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw torn("\"" + s + "\" is too large");
      }
    }
  }

  // As the source of Exchange#take: its folders' listings and the bytes they carry.

  @Override
  public String node() {
    throw new UnsupportedOperationException("the folders of an upload have no node of their own");
  }

  @Override
  public List<String> nodes() {
    return List.copyOf(folders.keySet());
  }

  @Override
  public Map<String, FileStat> list(String node) {
    Folder f = folders.get(node);
    Map<String, FileStat> listing = new TreeMap<>();
    if (f != null) {
      f.files().forEach(file -> listing.put(file.name(), file.stat()));
    }
    return listing;
  }

  @Override
  public Optional<FileStat> stat(String node, String file) {
    return Optional.ofNullable(list(node).get(file));
  }

  @Override
  public byte[] read(String node, String file, long maxBytes) {
    return sent(node, file)
        .map(File::bytes)
        .orElseThrow(
            () ->
                new ReplicationException(
                    node
                        + "/"
                        + file
                        + " differs here and its bytes were not sent with the manifest"));
  }

  @Override
  public Optional<byte[]> gzipped(String node, String file) {
    return sent(node, file).map(File::gzipped).map(Gzipped::gzip);
  }

  /** The file of {@code node}'s folder whose bytes the upload carries; empty where it has none. */
  private Optional<File> sent(String node, String file) {
    Folder f = folders.get(node);
    for (File candidate : f == null ? List.<File>of() : f.files()) {
      if (candidate.name().equals(file) && candidate.bytes() != null) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public void write(String node, String file, byte[] bytes, long mtimeSeconds) {
    throw new UnsupportedOperationException("an upload is only read");
  }

  @Override
  public void touch(String node, String file, long mtimeSeconds) {
    throw new UnsupportedOperationException("an upload is only read");
  }

  @Override
  public void delete(String node, String file) {
    throw new UnsupportedOperationException("an upload is only read");
  }

  @Override
  public void close() {}
}
