package io.appmetricsproxy.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An in-memory tar archive of folders, files and symbolic links, for image import and container
 * copies.
 */
final class Tar {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);
  private final Set<String> dirs = new HashSet<>();

  Tar() {
    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /** Adds a folder (and its missing parents) with the given mode, e.g. 01777 for /tmp. */
  Tar dir(String path, int mode) {
    String name = path.endsWith("/") ? path : path + "/";
    if (!dirs.add(name)) {
      return this;
    }
    parents(name.substring(0, name.length() - 1));
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & 0170000 | mode);
    return put(e, null);
  }

  /** Adds a regular file (parents made 0755) with the given content and mode. */
  Tar file(String path, byte[] content, int mode) {
    parents(path);
    TarArchiveEntry e = new TarArchiveEntry(path);
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & 0170000 | mode);
    e.setSize(content.length);
    return put(e, content);
  }

  /** Adds a symbolic link {@code path -> target}. */
  Tar link(String path, String target) {
    parents(path);
    TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    return put(e, null);
  }

  /** Finishes the archive and returns it as a stream. */
  InputStream stream() {
    try {
      out.finish();
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  private void parents(String path) {
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      dir(path.substring(0, slash), 0755);
    }
  }

  private Tar put(TarArchiveEntry entry, byte[] content) {
    try {
      out.putArchiveEntry(entry);
      if (content != null) {
        out.write(content);
      }
      out.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
