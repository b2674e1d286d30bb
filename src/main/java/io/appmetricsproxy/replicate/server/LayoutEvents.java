package io.appmetricsproxy.replicate.server;

import io.appmetricsproxy.replicate.server.Place.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Vetoes a setstat as a whole before any attribute changes (only entry times may change) and tells
 * the proxy of a new mtime.
 */
final class LayoutEvents implements SftpEventListener {
  private final Guard guard;

  LayoutEvents(Guard guard) {
    this.guard = guard;
  }

  @Override
  public void modifyingAttributes(ServerSession session, Path path, Map<String, ?> attrs)
      throws IOException {
    Place place = Place.of(path);
    if (attrs.isEmpty()) {
      return; // what mkdir and open pass when the client sends no attributes
    }
    if (!(place.is(Kind.ENTRY) || place.is(Kind.TEMP))
        || !guard.writable(place)
        || !Guard.inRealFolder(place, path)
        || !LayoutAccessor.TIMES.containsAll(attrs.keySet())) {
      throw guard.refuse(session, "changing " + attrs.keySet() + " of", path);
    }
  }

  @Override
  public void modifiedAttributes(
      ServerSession session, Path path, Map<String, ?> attrs, Throwable thrown) throws IOException {
    if (thrown == null && attrs.containsKey("lastModifiedTime") && Place.of(path).is(Kind.ENTRY)) {
      guard.touched(Place.of(path));
    }
  }
}
