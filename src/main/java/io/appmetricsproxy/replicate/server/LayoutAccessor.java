package io.appmetricsproxy.replicate.server;

import io.appmetricsproxy.replicate.server.Place.Kind;
import io.appmetricsproxy.store.Layout;
import io.appmetricsproxy.store.Manifest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * The replication layout on top of the jailed file system: reads of {@code .node}, {@code
 * .manifest}, node folders and entries; writes only of temp files renamed into their entry, in
 * other nodes' folders, and of a manifest upload, which the proxy takes instead of renaming it; no
 * link is ever followed.
 */
final class LayoutAccessor implements SftpFileSystemAccessor {
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final String MTIME = "lastModifiedTime";
  private static final Set<OpenOption> WRITES =
      Set.of(
          StandardOpenOption.WRITE,
          StandardOpenOption.APPEND,
          StandardOpenOption.CREATE,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.DELETE_ON_CLOSE);
  static final Set<String> TIMES = Set.of("lastModifiedTime", "lastAccessTime");

  private final Guard guard;

  LayoutAccessor(Guard guard) {
    this.guard = guard;
  }

  @Override
  public LinkOption[] resolveFileAccessLinkOptions(
      SftpSubsystemProxy s, Path file, int cmd, String extension, boolean followLinks) {
    return NO_FOLLOW.clone();
  }

  @Override
  public SeekableByteChannel openFile(
      SftpSubsystemProxy s,
      FileHandle fileHandle,
      Path file,
      String handle,
      Set<? extends OpenOption> options,
      FileAttribute<?>... attrs)
      throws IOException {
    ServerSession session = s.getServerSession();
    Place place = Place.of(file);
    Set<OpenOption> opts = new HashSet<>(options);
    opts.add(LinkOption.NOFOLLOW_LINKS);
    if (options.stream().noneMatch(WRITES::contains)) {
      if (!(place.is(Kind.ENTRY) || place.is(Kind.NODE_FILE) || place.is(Kind.MANIFEST))
          || !Guard.inRealFolder(place, file)
          || Files.isSymbolicLink(file)) {
        throw guard.refuse(session, "reading", file);
      }
      return FileChannel.open(file, opts);
    }
    boolean temp = place.is(Kind.TEMP) && guard.writable(place);
    boolean manifest = place.is(Kind.MANIFEST_TEMP) && guard.manifestWritable();
    if (!(temp || manifest) || !Guard.inRealFolder(place, file) || Files.isSymbolicLink(file)) {
      throw guard.refuse(session, "writing", file);
    }
    FileChannel channel = FileChannel.open(file, opts);
    guard.tempOpened(session, place);
    if (!session.isOpen()) { // closed meanwhile: its temp files may be gone already
      channel.close();
      guard.dropTemps(session);
      throw new IOException("session closed");
    }
    return channel;
  }

  @Override
  public DirectoryStream<Path> openDirectory(
      SftpSubsystemProxy s, DirectoryHandle dirHandle, Path dir, String handle, LinkOption... opts)
      throws IOException {
    Place place = Place.of(dir);
    boolean isRoot = place.is(Kind.ROOT);
    if (!isRoot && !(place.is(Kind.NODE) && Files.isDirectory(dir, NO_FOLLOW))) {
      throw guard.refuse(s.getServerSession(), "listing", dir);
    }
    // Filtered here: the rooted file system hands a stream filter the unrooted paths.
    return new VisibleEntries(Files.newDirectoryStream(dir), p -> visible(isRoot, p));
  }

  private static boolean visible(boolean inRoot, Path p) {
    Kind kind = Place.of(p).kind();
    if (inRoot) {
      return (kind == Kind.NODE_FILE && Files.isRegularFile(p, NO_FOLLOW))
          || (kind == Kind.NODE && Files.isDirectory(p, NO_FOLLOW));
    }
    return kind == Kind.ENTRY && Files.isRegularFile(p, NO_FOLLOW);
  }

  @Override
  public Map<String, ?> readFileAttributes(
      SftpSubsystemProxy s, Path file, String view, LinkOption... options) throws IOException {
    Place place = Place.of(file);
    if (place.is(Kind.OTHER) || !Guard.inRealFolder(place, file)) {
      throw guard.refuse(s.getServerSession(), "reading attributes of", file);
    }
    Map<String, Object> attributes = new HashMap<>(Files.readAttributes(file, view, NO_FOLLOW));
    if (place.is(Kind.ENTRY)
        && place.file().equals(Layout.ALIVE)
        && attributes.get(MTIME) instanceof FileTime mtime) {
      // the store's confirmation, which its .alive's mtime may lag behind (Store.ALIVE_LAG)
      guard
          .confirmed(place.node())
          .filter(at -> at.isAfter(mtime.toInstant()))
          .ifPresent(at -> attributes.put(MTIME, FileTime.from(at)));
    }
    return attributes;
  }

  @Override
  public void setFileAttribute(
      SftpSubsystemProxy s, Path file, String view, String attribute, Object value, LinkOption... o)
      throws IOException {
    Place place = Place.of(file);
    if (!(place.is(Kind.ENTRY) || place.is(Kind.TEMP))
        || !guard.writable(place)
        || !Guard.inRealFolder(place, file)
        || !TIMES.contains(attribute)) {
      throw guard.refuse(s.getServerSession(), "setting " + attribute + " of", file);
    }
    if (value != null) {
      Files.setAttribute(file, view + ":" + attribute, value, NO_FOLLOW);
    }
  }

  @Override
  public void setFileOwner(SftpSubsystemProxy s, Path file, Principal value, LinkOption... o)
      throws IOException {
    throw guard.refuse(s.getServerSession(), "setting the owner of", file);
  }

  @Override
  public void setGroupOwner(SftpSubsystemProxy s, Path file, Principal value, LinkOption... o)
      throws IOException {
    throw guard.refuse(s.getServerSession(), "setting the group of", file);
  }

  @Override
  public void setFilePermissions(
      SftpSubsystemProxy s, Path file, Set<PosixFilePermission> perms, LinkOption... o)
      throws IOException {
    throw guard.refuse(s.getServerSession(), "setting permissions of", file);
  }

  @Override
  public void setFileAccessControl(
      SftpSubsystemProxy s, Path file, List<AclEntry> acl, LinkOption... o) throws IOException {
    throw guard.refuse(s.getServerSession(), "setting the ACL of", file);
  }

  @Override
  public void createDirectory(SftpSubsystemProxy s, Path path) throws IOException {
    Place place = Place.of(path);
    if (!place.is(Kind.NODE) || !guard.writable(place)) {
      throw guard.refuse(s.getServerSession(), "creating folder", path);
    }
    Files.createDirectory(path);
  }

  @Override
  public void createLink(SftpSubsystemProxy s, Path link, Path existing, boolean symLink)
      throws IOException {
    throw guard.refuse(s.getServerSession(), "creating a link at", link);
  }

  @Override
  public String resolveLinkTarget(SftpSubsystemProxy s, Path link) throws IOException {
    throw guard.refuse(s.getServerSession(), "reading link", link);
  }

  @Override
  public void renameFile(SftpSubsystemProxy s, Path from, Path to, Collection<CopyOption> opts)
      throws IOException {
    Place temp = Place.of(from);
    Place entry = Place.of(to);
    if (temp.is(Kind.MANIFEST_TEMP) && entry.is(Kind.MANIFEST) && guard.manifestWritable()) {
      takeManifest(s, temp, from);
      return;
    }
    if (!temp.is(Kind.TEMP)
        || !entry.is(Kind.ENTRY)
        || !entry.node().equals(temp.node())
        || !entry.file().equals(temp.entryOfTemp())
        || !guard.writable(temp)
        || !Guard.inRealFolder(temp, from)
        || !Files.isRegularFile(from, NO_FOLLOW)) {
      throw guard.refuse(s.getServerSession(), "renaming " + from + " to", to);
    }
    // Replaces the entry in one step, whatever the client asked (SFTP v3 rename has no flags).
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    guard.tempGone(s.getServerSession(), temp);
    guard.arrived(entry);
  }

  /**
   * A client's manifest is not renamed over this node's: the proxy takes what it confirms and
   * writes its own from its store (see {@link ArrivalListener#manifest}).
   */
  private void takeManifest(SftpSubsystemProxy s, Place temp, Path from) throws IOException {
    if (!Files.isRegularFile(from, NO_FOLLOW) || Files.size(from) > Manifest.MAX_UPLOAD) {
      throw guard.refuse(s.getServerSession(), "taking the manifest", from);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(from);
    } finally {
      Files.deleteIfExists(from);
      guard.tempGone(s.getServerSession(), temp);
    }
    guard.manifest(bytes);
  }

  @Override
  public void copyFile(SftpSubsystemProxy s, Path src, Path dst, Collection<CopyOption> opts)
      throws IOException {
    throw guard.refuse(s.getServerSession(), "copying " + src + " to", dst);
  }

  @Override
  public void removeFile(SftpSubsystemProxy s, Path path, boolean isDirectory) throws IOException {
    Place place = Place.of(path);
    boolean manifestTemp = place.is(Kind.MANIFEST_TEMP) && guard.manifestWritable();
    if (isDirectory
        || !(manifestTemp || (place.is(Kind.ENTRY) || place.is(Kind.TEMP)) && guard.writable(place))
        || !Guard.inRealFolder(place, path)) {
      throw guard.refuse(s.getServerSession(), "removing", path);
    }
    Files.delete(path);
    if (place.is(Kind.TEMP) || manifestTemp) {
      guard.tempGone(s.getServerSession(), place);
    } else {
      guard.removed(place);
    }
  }
}
