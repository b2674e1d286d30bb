package io.appmetricsproxy.discover;

import io.appmetricsproxy.lang.Threads;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Engine calls with a deadline. docker-java's Unix socket ignores read timeouts, and a stopped
 * dockerd accepts connections and answers nothing: so each call runs on the engine thread
 * ("amp-engine") and its caller waits at most the deadline. A call not answered yet is not made
 * again: later callers of the same kind wait on it, so that a hung engine holds one thread and one
 * connection however many cycles ask it. The first call also loads the client and opens its first
 * connection: it may take up to {@link #FIRST_DEADLINE} (a JVM starting on a busy machine took 3
 * s).
 */
final class EngineCalls implements AutoCloseable {
  static final Duration FIRST_DEADLINE = Duration.ofSeconds(5);

  private final String dockerHost;
  private final Duration deadline;
  private final Map<String, Pending<?>> inFlight = new HashMap<>();
  private volatile boolean answered;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(Threads.named("amp-engine"));

  EngineCalls(String dockerHost, Duration deadline) {
    this.dockerHost = dockerHost;
    this.deadline = deadline;
  }

  /**
   * The answer of {@code call} (or of the call of this {@code kind} still under way) within the
   * deadline. An answer to a call older than the deadline (a hung engine that goes on) may predate
   * what the engine did meanwhile, e.g. containers that exited while it hung: the call is made
   * again, with a deadline of its own.
   *
   * @throws DiscoveryException when it failed, or gave no answer in time
   */
  <T> T call(String kind, Supplier<T> call) {
    try {
      Pending<T> pending = pending(kind, call);
      Duration wait =
          answered || deadline.compareTo(FIRST_DEADLINE) > 0 ? deadline : FIRST_DEADLINE;
      T result = pending.answer().get(wait.toNanos(), TimeUnit.NANOSECONDS);
      answered = true;
      if (pending.outlivedACaller()) {
        result = pending(kind, call).answer().get(deadline.toNanos(), TimeUnit.NANOSECONDS);
      }
      return result;
    } catch (TimeoutException e) {
      throw failure("no answer within " + seconds(answered ? deadline : FIRST_DEADLINE), e);
    } catch (ExecutionException e) {
      answered = true;
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw failure(DockerEngine.reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for an answer", e);
    } catch (RejectedExecutionException e) {
      throw failure("closed", e);
    }
  }

  /**
   * A call, when it was made, and whether it had outlived a caller's deadline already when this
   * caller came to wait on it.
   */
  private record Pending<T>(Future<T> answer, long askedAt, boolean outlivedACaller) {}

  /** The call of this kind under way, or a new one. */
  @SuppressWarnings("unchecked")
  private <T> Pending<T> pending(String kind, Supplier<T> call) {
    synchronized (inFlight) {
      Pending<T> p = (Pending<T>) inFlight.get(kind);
      if (p == null || p.answer().isDone()) {
        p = new Pending<>(thread.submit(call::get), System.nanoTime(), false);
        inFlight.put(kind, p);
        return p;
      }
      return new Pending<>(
          p.answer(), p.askedAt(), System.nanoTime() - p.askedAt() > deadline.toNanos());
    }
  }

  private DiscoveryException failure(String reason, Exception cause) {
    return new DiscoveryException("Docker engine at " + dockerHost + ": " + reason, cause);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Ends the engine thread; a call still waiting on a hung engine is abandoned. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
