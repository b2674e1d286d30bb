package io.appmetricsproxy.replicate.server;

import io.appmetricsproxy.store.Layout;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * What the SFTP layout policy shares: who may write where, refusals logged once each, the temp
 * files every session left open, and the calls into the {@link ArrivalListener}.
 */
final class Guard implements SessionListener {
  private static final Logger logger = Logger.getLogger(Guard.class.getName());
  private static final AttributeKey<Set<Path>> TEMPS = new AttributeKey<>();

  private final Path root;
  private final Supplier<Optional<String>> ownNode;
  private final ArrivalListener listener;

  Guard(Path root, Supplier<Optional<String>> ownNode, ArrivalListener listener) {
    this.root = root;
    this.ownNode = ownNode;
    this.listener = listener;
  }

  /** Clients write only into other nodes' folders, and nowhere until the own node is known. */
  boolean writable(Place place) {
    Optional<String> own = ownNode.get();
    return place.node() != null && own.isPresent() && !own.get().equals(place.node());
  }

  /** Clients upload a manifest only once the own node is known (it then answers from its store). */
  boolean manifestWritable() {
    return ownNode.get().isPresent();
  }

  /** Whether the folder holding {@code file} is a real folder, not a symlink to elsewhere. */
  static boolean inRealFolder(Place place, Path file) {
    return place.node() == null
        || place.is(Place.Kind.NODE)
        || Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS);
  }

  /** Logs the refusal and returns what answers the client with SSH_FX_PERMISSION_DENIED. */
  AccessDeniedException refuse(Session session, String what, Path path) {
    logger.log(
        Level.WARNING,
        "Refused {0} {1} for {2}@{3}",
        new Object[] {what, path, session.getUsername(), session.getRemoteAddress()});
    return new AccessDeniedException(path.toString(), null, "refused by the replication layout");
  }

  void tempOpened(Session session, Place temp) {
    session.computeAttributeIfAbsent(TEMPS, k -> ConcurrentHashMap.newKeySet()).add(real(temp));
  }

  void tempGone(Session session, Place temp) {
    Set<Path> temps = session.getAttribute(TEMPS);
    if (temps != null) {
      temps.remove(real(temp));
    }
  }

  /** Removes the temp files the session wrote and neither renamed nor removed. */
  void dropTemps(Session session) {
    Set<Path> temps = session.getAttribute(TEMPS);
    if (temps == null) {
      return;
    }
    for (Path temp : Set.copyOf(temps)) {
      try {
        if (Files.deleteIfExists(temp)) {
          logger.log(Level.INFO, "Removed {0}, left behind by {1}", new Object[] {temp, session});
        }
        temps.remove(temp);
      } catch (IOException e) {
        logger.log(Level.WARNING, "Cannot remove " + temp + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void sessionClosed(Session session) {
    dropTemps(session);
  }

  void arrived(Place entry) throws IOException {
    tell("arrived", entry, () -> listener.arrived(entry.node(), entry.file()));
  }

  void removed(Place entry) throws IOException {
    tell("removed", entry, () -> listener.removed(entry.node(), entry.file()));
  }

  void touched(Place entry) throws IOException {
    tell("touched", entry, () -> listener.touched(entry.node(), entry.file()));
  }

  /** When {@code node} last confirmed its folder, as far as this node's store knows. */
  Optional<java.time.Instant> confirmed(String node) {
    return listener.confirmed(node);
  }

  void manifest(byte[] bytes) throws IOException {
    tell(
        "manifest",
        new Place(Place.Kind.MANIFEST, null, Layout.MANIFEST),
        () -> listener.manifest(bytes));
  }

  private static void tell(String what, Place entry, Runnable call) throws IOException {
    try {
      call.run();
    } catch (RuntimeException e) {
      String file = entry.node() == null ? entry.file() : entry.node() + "/" + entry.file();
      logger.log(Level.WARNING, "The proxy failed on " + what + " " + file + ": " + e, e);
      throw new IOException("the proxy could not take " + file + ": " + e.getMessage(), e);
    }
  }

  private Path real(Place place) {
    return place.node() == null
        ? root.resolve(place.file())
        : root.resolve(place.node()).resolve(place.file());
  }
}
