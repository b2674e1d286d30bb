package io.appmetricsproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's Unix socket connections, from /proc/self/fd and the kernel's socket table ({@code ss
 * -x}): those open to one listening socket, and those whose other end has gone (a leak, unless
 * closed soon).
 */
public final class UnixConnections {
  /** {@code open}: connected to the socket; {@code dead}: connected once, peer gone since. */
  public record Count(int open, int dead) {}

  private record Row(String state, String local, long peer) {}

  private UnixConnections() {}

  /** Counts this JVM's connections to {@code socket} and its dead ones, now. */
  public static Count to(Path socket) throws IOException {
    Map<Long, Row> table = table();
    int open = 0;
    int dead = 0;
    for (long inode : ownSockets()) {
      Row own = table.get(inode);
      if (own == null) {
        continue; // not a Unix socket
      }
      Row peer = table.get(own.peer());
      if (peer != null && peer.local().equals(socket.toString())) {
        open++;
      } else if (own.state().equals("ESTAB") && own.peer() == 0) {
        dead++;
      }
    }
    return new Count(open, dead);
  }

  /** Inode of every socket this JVM holds a file descriptor of. */
  private static List<Long> ownSockets() throws IOException {
    List<Long> inodes = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listed
        }
      }
    }
    return inodes;
  }

  /** Every Unix socket of the host by inode: state, local address and the peer's inode. */
  private static Map<Long, Row> table() throws IOException {
    String exe = Sys.which("ss");
    if (exe == null) {
      throw new IOException("ss not found (install iproute2)");
    }
    Process ss = new ProcessBuilder(exe, "-x", "-a", "-n").start();
    ss.getOutputStream().close();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
        throw new IOException("ss -xan failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Map<Long, Row> rows = new HashMap<>();
    for (String line : out.split("\n")) {
      // Netid State Recv-Q Send-Q Local-Address Local-Inode Peer-Address Peer-Inode
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || !f[0].startsWith("u_")) {
        continue;
      }
      try {
        rows.put(Long.parseLong(f[5]), new Row(f[1], f[4], Long.parseLong(f[7])));
      } catch (NumberFormatException header) {
        // not a socket line
      }
    }
    return rows;
  }
}
