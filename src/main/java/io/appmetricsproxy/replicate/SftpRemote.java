package io.appmetricsproxy.replicate;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelSftp.LsEntry;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import io.appmetricsproxy.discover.Peer;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Manifest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;

/** A peer's store folder over one SFTP channel: paths {@code <node>/<file>} under its home. */
final class SftpRemote implements RemoteStore {
  private static final Logger logger = Logger.getLogger(SftpRemote.class.getName());
  private static final String POSIX_RENAME = "posix-rename@openssh.com";
  private static final int MAX_NODE_FILE = 1024;

  private final Peer peer;
  private final Session session;
  private final ChannelSftp sftp;
  private final CountingSocketFactory wire;
  private final SftpPipeline pipeline;
  private final int activeMillis;
  private final int idleMillis;

  /**
   * Whether the last manifest read says the peer is a proxy's store, whose server takes a manifest
   * upload as a whole or refuses it: its rename then goes with the writes.
   */
  private boolean takesUploads;

  private final java.util.Set<String> folders = new java.util.HashSet<>();
  private String node;

  /**
   * @param pipeline the manifest's read and write in fewer round trips, or null where the server
   *     refused a second channel: then by {@code sftp}
   * @param activeMillis the socket's read timeout during an exchange (the session's)
   * @param idleMillis the socket's read timeout between exchanges, where there is a pipeline
   */
  SftpRemote(
      Peer peer,
      Session session,
      ChannelSftp sftp,
      SftpPipeline pipeline,
      CountingSocketFactory wire,
      int activeMillis,
      int idleMillis) {
    this.peer = peer;
    this.session = session;
    this.sftp = sftp;
    this.pipeline = pipeline;
    this.wire = wire;
    this.activeMillis = activeMillis;
    this.idleMillis = idleMillis;
  }

  /**
   * JSch reads the socket with the session's timeout, and sends a keepalive each time it passes
   * without a packet; with the timeout of an exchange (5 s) a kept session did so about twice an
   * interval, often during the next round. An exchange begins with the manifest's read by the
   * pipeline, which waits only as long as that timeout on its own ({@link SftpAnswers}), so a
   * session between rounds can read with a longer one: a peer that went silent meanwhile is found
   * at the next exchange as before, one that closed its end at once.
   */
  @Override
  public void active() {
    readTimeout(activeMillis);
  }

  @Override
  public void idle() {
    if (pipeline != null) {
      readTimeout(idleMillis);
    }
  }

  private void readTimeout(int millis) {
    try {
      session.setTimeout(millis);
    } catch (JSchException e) {
      // the socket is closed: the next exchange finds the connection closed
    }
  }

  /** Bytes written to the peer's socket since the session opened, SSH framing included. */
  @Override
  public long bytesSent() {
    return wire.bytesSent();
  }

  /** Bytes read from the peer's socket since the session opened, SSH framing included. */
  @Override
  public long bytesReceived() {
    return wire.bytesReceived();
  }

  /** Whether the server replaces a file by rename atomically ({@code posix-rename@openssh.com}). */
  boolean posixRename() {
    return "1".equals(sftp.getExtension(POSIX_RENAME));
  }

  @Override
  public boolean isOpen() {
    return session.isConnected() && sftp.isConnected() && !sftp.isClosed();
  }

  /** Read once per session: a peer's name does not change while it serves. */
  @Override
  public String node() {
    if (node == null) {
      node = readNode();
    }
    return node;
  }

  @Override
  public Optional<Manifest> manifest() {
    byte[] bytes;
    try {
      bytes = readManifest();
    } catch (SftpException e) {
      if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE || e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
        return Optional.empty(); // none yet, or an older peer that does not serve one
      }
      throw fail("read " + Layout.MANIFEST, e);
    }
    Optional<Manifest> read = bytes == null ? Optional.empty() : Manifest.parse(bytes);
    takesUploads = read.map(Manifest::takesFolders).orElse(false);
    return read;
  }

  /**
   * By the pipeline, one READ: a manifest that fits in it and ends whole ({@link Manifest#whole}).
   * Any other (a larger one, a torn one) is read again to the end of the file.
   */
  private byte[] readManifest() throws SftpException {
    if (pipeline != null && pipeline.isOpen()) {
      byte[] start = pipeline.readStart(Layout.MANIFEST);
      if (start.length < SftpPipeline.READ_LENGTH && Manifest.whole(start)) {
        return start;
      }
    }
    return readLimited(Layout.MANIFEST, Manifest.MAX_BYTES);
  }

  @Override
  public void writeManifest(byte[] bytes) {
    String temp = Layout.manifestUpload();
    boolean uploaded = false;
    try {
      boolean piped = pipeline != null && pipeline.isOpen();
      if (piped && takesUploads && posixRename()) {
        pipeline.write(temp, bytes, Layout.MANIFEST); // the server deletes the upload either way
        return;
      }
      if (piped) {
        pipeline.write(temp, bytes);
      } else {
        sftp.put(new ByteArrayInputStream(bytes), temp, ChannelSftp.OVERWRITE);
      }
      uploaded = true;
      replace(temp, Layout.MANIFEST);
    } catch (SftpException e) {
      if (uploaded) {
        removeQuietly(temp);
      }
      throw fail("write " + Layout.MANIFEST, e);
    }
  }

  private String readNode() {
    byte[] bytes;
    try {
      bytes = readLimited(Layout.NODE_FILE, MAX_NODE_FILE);
    } catch (SftpException e) {
      if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
        throw fail(
            "peer has not written its node name yet (no " + Layout.NODE_FILE + " file)", null);
      }
      throw fail("read " + Layout.NODE_FILE, e);
    }
    if (bytes == null) {
      throw fail(Layout.NODE_FILE + " is larger than " + MAX_NODE_FILE + " bytes", null);
    }
    String name = new String(bytes, StandardCharsets.UTF_8).trim();
    if (name.isEmpty()) {
      throw fail(
          "peer has not written its node name yet (" + Layout.NODE_FILE + " is empty)", null);
    }
    if (!Layout.valid(name)) {
      throw fail(Layout.NODE_FILE + " holds an invalid node name \"" + name + "\"", null);
    }
    return name;
  }

  @Override
  public List<String> nodes() {
    List<String> nodes = new ArrayList<>();
    try {
      for (LsEntry entry : ls(".")) {
        if (entry.getAttrs().isDir() && Layout.valid(entry.getFilename())) {
          nodes.add(entry.getFilename());
        }
      }
    } catch (SftpException e) {
      throw fail("list the store folder", e);
    }
    Collections.sort(nodes);
    return List.copyOf(nodes);
  }

  @Override
  public Map<String, FileStat> list(String node) {
    check("node", node);
    Map<String, FileStat> files = new TreeMap<>();
    try {
      for (LsEntry entry : ls(node)) {
        String name = entry.getFilename();
        SftpATTRS attrs = entry.getAttrs();
        if (attrs.isReg() && Layout.entry(name)) {
          long mtime = Integer.toUnsignedLong(attrs.getMTime());
          files.put(name, new FileStat(attrs.getSize(), mtime));
        }
      }
    } catch (SftpException e) {
      if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
        return Map.of();
      }
      throw fail("list " + node, e);
    }
    return Collections.unmodifiableMap(files);
  }

  @Override
  public Optional<FileStat> stat(String node, String file) {
    String path = path(node, file);
    try {
      SftpATTRS attrs = sftp.stat(path);
      return Optional.of(new FileStat(attrs.getSize(), Integer.toUnsignedLong(attrs.getMTime())));
    } catch (SftpException e) {
      if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
        return Optional.empty();
      }
      throw fail("stat " + path, e);
    }
  }

  @Override
  public byte[] read(String node, String file, long maxBytes) {
    String path = path(node, file);
    try {
      byte[] bytes = readLimited(path, maxBytes); // no stat first: one round trip less per file
      if (bytes == null) {
        long size = sftp.stat(path).getSize();
        throw fail(path + " is " + size + " bytes, more than the limit of " + maxBytes, null);
      }
      return bytes;
    } catch (SftpException e) {
      throw fail("read " + path, e);
    }
  }

  @Override
  public void write(String node, String file, byte[] bytes, long mtimeSeconds) {
    String path = path(node, file);
    int mtime = mtime(mtimeSeconds);
    String temp = node + "/" + Layout.upload(file);
    boolean uploaded = false;
    try {
      ensureFolder(node);
      sftp.put(new ByteArrayInputStream(bytes), temp, ChannelSftp.OVERWRITE);
      uploaded = true;
      sftp.setStat(temp, times(mtime));
      replace(temp, path);
    } catch (SftpException e) {
      if (uploaded) {
        removeQuietly(temp);
      }
      throw fail("write " + path, e);
    }
  }

  @Override
  public void touch(String node, String file, long mtimeSeconds) {
    String path = path(node, file);
    int mtime = mtime(mtimeSeconds);
    try {
      sftp.setStat(path, times(mtime));
    } catch (SftpException e) {
      throw fail("touch " + path, e);
    }
  }

  @Override
  public void delete(String node, String file) {
    String path = path(node, file);
    try {
      sftp.rm(path);
    } catch (SftpException e) {
      if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
        throw fail("delete " + path, e);
      }
    }
  }

  @Override
  public void close() {
    if (pipeline != null) {
      pipeline.close();
    }
    sftp.disconnect();
    session.disconnect();
  }

  /** SFTP v3 rename refuses an existing target on OpenSSH; posix-rename replaces it atomically. */
  private void replace(String temp, String path) throws SftpException {
    if (posixRename()) {
      sftp.rename(temp, path); // JSch sends posix-rename@openssh.com when the server offers it
      return;
    }
    try {
      sftp.rename(temp, path);
    } catch (SftpException e) {
      logger.fine(() -> "rename over " + path + " refused (" + e.getMessage() + "), delete first");
      try {
        sftp.rm(path);
      } catch (SftpException gone) {
        if (gone.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
          throw gone;
        }
      }
      sftp.rename(temp, path);
    }
  }

  /** Once per node folder and session: each further entry saves a round trip. */
  private void ensureFolder(String node) throws SftpException {
    if (!folders.contains(node)) {
      makeFolder(node);
      folders.add(node);
    }
  }

  private void makeFolder(String node) throws SftpException {
    try {
      if (sftp.stat(node).isDir()) {
        return;
      }
      throw new SftpException(ChannelSftp.SSH_FX_FAILURE, node + " is not a folder");
    } catch (SftpException e) {
      if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
        throw e;
      }
    }
    try {
      sftp.mkdir(node);
    } catch (SftpException e) {
      if (!sftp.stat(node).isDir()) { // another session may have made it meanwhile
        throw e;
      }
    }
  }

  /**
   * The file's bytes, or null when it holds more than {@code maxBytes}. Read as a stream into a
   * buffer: JSch's {@code get} to an InputStream stats the file first, one round trip more per read
   * (every manifest, every entry pulled). Bytes past the limit are read and dropped, not kept.
   */
  private byte[] readLimited(String path, long maxBytes) throws SftpException {
    Limited out = new Limited((int) Math.min(maxBytes, Integer.MAX_VALUE - 16));
    sftp.get(path, out);
    return out.over ? null : out.toByteArray();
  }

  /** Keeps at most {@code limit} bytes, and whether more came. */
  private static final class Limited extends java.io.ByteArrayOutputStream {
    private final int limit;
    boolean over;

    Limited(int limit) {
      super(Math.min(limit, 8192));
      this.limit = limit;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = limit - count;
      if (len > room) {
        over = true;
        len = Math.max(0, room);
      }
      super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }

  private List<LsEntry> ls(String folder) throws SftpException {
    List<LsEntry> entries = new ArrayList<>();
    sftp.ls(
        folder,
        entry -> {
          if (!entry.getFilename().startsWith(".")) {
            entries.add(entry);
          }
          return ChannelSftp.LsEntrySelector.CONTINUE;
        });
    return entries;
  }

  private void removeQuietly(String path) {
    try {
      sftp.rm(path);
    } catch (SftpException ignored) {
      // the failure being reported matters more
    }
  }

  private String path(String node, String file) {
    check("node", node);
    if (!file.equals(Layout.ALIVE)) {
      check("file", file);
    }
    return node + "/" + file;
  }

  private void check(String what, String name) {
    if (name == null || !Layout.valid(name)) {
      throw fail("invalid " + what + " name \"" + name + "\": expected " + Layout.NAME, null);
    }
  }

  /**
   * Access and modification time {@code mtime}, nothing else: one SETSTAT, where {@code setMtime}
   * first stats the file for its access time (a round trip per file written).
   */
  private static SftpATTRS times(int mtime) {
    SftpATTRS attrs = new SftpATTRS();
    attrs.setACMODTIME(mtime, mtime);
    return attrs;
  }

  private int mtime(long seconds) {
    if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
      throw fail("mtime " + seconds + " is outside what SFTP v3 can carry", null);
    }
    return (int) seconds; // the wire carries it as an unsigned 32-bit number
  }

  private ReplicationException fail(String what, SftpException e) {
    String message = SshConnector.describe(peer) + ": " + what;
    if (e != null) {
      message += ": " + SshConnector.describe(e);
    }
    return new ReplicationException(message, e);
  }
}
