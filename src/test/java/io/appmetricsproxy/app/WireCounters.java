package io.appmetricsproxy.app;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * What the replication servers of a bench's proxies received, counted on the servers themselves
 * (SFTP requests and SSH sessions opened), and the CPU time of the replication client's threads.
 * The listeners are added to the running servers from outside, so that the proxies run unchanged.
 */
final class WireCounters {
  final LongAdder requests = new LongAdder();
  final LongAdder handshakes = new LongAdder();

  /** Counts what {@code proxy}'s SFTP server receives from now on. */
  void watch(Proxy proxy) {
    SshServer sshd = sshd(proxy);
    sshd.getSubsystemFactories().stream()
        .filter(SftpSubsystemFactory.class::isInstance)
        .map(SftpSubsystemFactory.class::cast)
        .forEach(
            f ->
                f.addSftpEventListener(
                    new SftpEventListener() {
                      @Override
                      public void received(ServerSession session, int type, int id) {
                        requests.increment();
                      }
                    }));
    sshd.addSessionListener(
        new SessionListener() {
          @Override
          public void sessionCreated(Session session) {
            handshakes.increment();
          }
        });
  }

  /** Proxy.ssh -> SshTransport.server -> ReplicationServer.sshd. */
  private static SshServer sshd(Proxy proxy) {
    Optional<?> ssh = (Optional<?>) field(proxy, "ssh");
    Object server = field(ssh.orElseThrow(), "server");
    return (SshServer) field(server, "sshd");
  }

  private static Object field(Object o, String name) {
    try {
      Field f = o.getClass().getDeclaredField(name);
      f.setAccessible(true);
      return f.get(o);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no field " + name + " in " + o.getClass(), e);
    }
  }

  /**
   * CPU time of the replication client's threads (the round's pool, {@code amp-replicate-*}, and
   * JSch's reader of each session, {@code Connect thread *}) from {@link #start} to {@link #stop}.
   * JSch's threads end with their session, taking their CPU time with them, so a sampler reads
   * every such thread every few milliseconds and keeps the last value it saw.
   */
  static final class ClientCpu {
    private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * Which threads are the client's, by id, for every round: a JVM never gives a thread's id to
     * another, and at N = 200 looking up the names of its 3,000 threads took 60 ms per round.
     */
    private static final Map<Long, Boolean> client = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<Long, Long> first = new HashMap<>();
    private final Map<Long, Long> last = new HashMap<>();
    private volatile boolean running;
    private Thread sampler;
    private long callerFirst;

    /** From now on, on the thread that runs the round ({@link #stop} is called on it too). */
    void start() {
      first.clear();
      last.clear();
      sample(first);
      callerFirst = threads.getCurrentThreadCpuTime();
      running = true;
      sampler =
          new Thread(
              () -> {
                while (running) {
                  sample(last);
                  try {
                    // each sample reads every client thread (600 at N = 200); a session's thread
                    // that ends between two samples takes its last 200 ms with it (sessions are
                    // kept: the bench counts their handshakes)
                    Thread.sleep(200);
                  } catch (InterruptedException ignored) {
                    return;
                  }
                }
              },
              "bench-cpu-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    /**
     * Seconds of CPU the client's threads used since {@link #start}, the round's own thread (the
     * caller's: it starts the exchanges and takes their reports) included.
     */
    double stop() throws InterruptedException {
      long caller = threads.getCurrentThreadCpuTime() - callerFirst;
      running = false;
      sampler.interrupt();
      sampler.join();
      sample(last);
      long sum = caller;
      for (Map.Entry<Long, Long> e : last.entrySet()) {
        sum += e.getValue() - first.getOrDefault(e.getKey(), 0L);
      }
      return sum / 1e9;
    }

    private void sample(Map<Long, Long> into) {
      for (long id : threads.getAllThreadIds()) {
        if (client.computeIfAbsent(id, ClientCpu::isClient)) {
          long cpu = threads.getThreadCpuTime(id);
          if (cpu >= 0) {
            into.merge(id, cpu, Math::max);
          }
        }
      }
    }

    private static boolean isClient(long id) {
      ThreadInfo info = threads.getThreadInfo(id);
      String name = info == null ? "" : info.getThreadName();
      return name.startsWith("amp-replicate-") || name.startsWith("Connect thread");
    }
  }
}
