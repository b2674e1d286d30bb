package io.appmetricsproxy.discover;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.appmetricsproxy.lang.Threads;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Follows the engine's container events and reconnects by itself when their stream ends. */
public final class EventWatcher implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(EventWatcher.class.getName());
  private static final Duration FIRST_RETRY = Duration.ofMillis(250);

  /**
   * The longest wait between tries: an engine back after a long outage is followed again within 2
   * s. A try against an engine that is down is one refused connection.
   */
  static final Duration LAST_RETRY = Duration.ofSeconds(2);

  /** What the events mean to the proxy; called on the event stream's thread. */
  public interface Listener {
    /** A container started, was unpaused or changed health: scrape it now. */
    void started(String containerId);

    /** A container stopped, died or was removed: stop serving it now. */
    void gone(String containerId);

    /** The stream is back after a loss: events may have been missed. */
    void reconnected();
  }

  private final DockerClient client;
  private final DockerClient probe;
  private final String dockerHost;
  private final Listener listener;
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(Threads.named("amp-events"));
  private volatile boolean closed;
  private volatile Closeable stream;
  private Duration backoff = FIRST_RETRY;
  private boolean lost;

  /**
   * Takes {@code client} over: it is closed with this watcher. {@code probe} (not closed) pings the
   * engine within the engine call deadline before each subscription: an engine that hangs holds the
   * reconnection up no longer than that.
   */
  EventWatcher(DockerClient client, DockerClient probe, String dockerHost, Listener listener) {
    this.client = client;
    this.probe = probe;
    this.dockerHost = dockerHost;
    this.listener = listener;
  }

  /** Subscribes now (or retries in the background until the engine answers). */
  void start() {
    later(this::connect, Duration.ZERO);
  }

  private void connect() {
    if (closed) {
      return;
    }
    try {
      probe.pingCmd().exec();
      stream = client.eventsCmd().withEventTypeFilter(EventType.CONTAINER).exec(new Callback());
    } catch (RuntimeException e) {
      lost(DockerEngine.reason(e));
      return;
    }
    backoff = FIRST_RETRY;
    if (lost) {
      lost = false;
      logger.log(Level.INFO, "Docker events of {0}: following again", dockerHost);
      listener.reconnected();
    }
  }

  /** Logs the first loss only, and tries again later, each time waiting longer, up to 2 s. */
  private void lost(String reason) {
    if (closed) {
      return;
    }
    if (!lost) {
      lost = true;
      logger.log(
          Level.WARNING,
          "Docker events of {0} lost ({1}): reconnecting; cycles go on meanwhile",
          new Object[] {dockerHost, reason});
    }
    Duration wait = backoff;
    backoff = after(backoff);
    later(this::connect, wait);
  }

  /** The wait after {@code wait}: twice as long, at most {@link #LAST_RETRY}. */
  static Duration after(Duration wait) {
    Duration doubled = wait.multipliedBy(2);
    return doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
  }

  private void later(Runnable task, Duration wait) {
    try {
      retries.schedule(task, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException ignored) {
      // closed meanwhile
    }
  }

  private void dispatch(Event event) {
    String action = event.getAction() == null ? event.getStatus() : event.getAction();
    String id = event.getId();
    if (action == null || id == null) {
      return;
    }
    if (action.equals("start") || action.equals("unpause") || action.startsWith("health_status")) {
      listener.started(id);
    } else if (action.equals("die") || action.equals("stop") || action.equals("destroy")) {
      listener.gone(id);
    }
  }

  /**
   * One subscription: its end, with or without an error, means the stream was lost. docker-java
   * reports a stream cut while reading (an engine that stops) with onError and then onComplete as
   * well: only the first of them counts, else every loss would double the subscriptions.
   */
  private final class Callback extends ResultCallback.Adapter<Event> {
    private final AtomicBoolean ended = new AtomicBoolean();

    @Override
    public void onNext(Event event) {
      try {
        dispatch(event);
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "Docker event not handled: " + event, e);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      // not super.onError: it logs a stack trace at ERROR for what lost() reports in one line
      closeQuietly();
      end(DockerEngine.reason(throwable));
    }

    @Override
    public void onComplete() {
      super.onComplete();
      end("the engine ended the stream");
    }

    private void end(String reason) {
      if (ended.compareAndSet(false, true) && !closed) {
        later(() -> lost(reason), Duration.ZERO);
      }
    }

    private void closeQuietly() {
      try {
        close();
      } catch (IOException ignored) {
        // the stream's thread ends with its connection
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    retries.shutdownNow();
    Closeable s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // the stream's thread ends with its connection
      }
    }
    try {
      retries.awaitTermination(5, TimeUnit.SECONDS); // after the stream: a retry may wait on it
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
    try {
      client.close();
    } catch (IOException ignored) {
      // its connections go away with the webapp either way
    }
  }
}
