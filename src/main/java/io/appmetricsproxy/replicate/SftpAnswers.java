package io.appmetricsproxy.replicate;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * An SFTP channel's answers as the SSH session's thread hands them over ({@code
 * Channel.setOutputStream}): cut into whole messages there, and the one thread that waits for them
 * woken once the number it waits for is whole, not at each SSH packet. With JSch's own pipe ({@code
 * getInputStream}) the waiting thread was woken for every packet, and a profile of 200 peers showed
 * half of the client's CPU in those wake-ups.
 *
 * <p>Bounded by what was asked: every answer is to a request the pipeline sent, at most {@code
 * IN_FLIGHT} at once.
 */
final class SftpAnswers extends OutputStream {
  /** How often a waiting reader looks whether the channel is still open, where nothing came. */
  private static final long LOOK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int maxAnswer;
  private final Duration silence;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<byte[]> whole = new ArrayDeque<>();
  private byte[] partial = new byte[8192];
  private int filled;
  private int wanted = Integer.MAX_VALUE;
  private boolean closed;
  private IOException broken;
  private long lastBytes = System.nanoTime();

  /**
   * @param maxAnswer the longest answer taken (length and type included); a longer one breaks it
   * @param silence how long a reader waits without any bytes coming: the pipeline's own read
   *     timeout, so that a silent peer is found whatever the session's socket timeout is between
   *     rounds ({@link SftpRemote#idle})
   */
  SftpAnswers(int maxAnswer, Duration silence) {
    this.maxAnswer = maxAnswer;
    this.silence = silence;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  /** From the session's thread: bytes of one SSH packet's data. */
  @Override
  public void write(byte[] b, int off, int len) {
    lock.lock();
    try {
      if (closed || broken != null) {
        return;
      }
      if (filled + len > partial.length) {
        partial = Arrays.copyOf(partial, Math.max(partial.length * 2, filled + len));
      }
      System.arraycopy(b, off, partial, filled, len);
      filled += len;
      lastBytes = System.nanoTime();
      split();
      if (whole.size() >= wanted || broken != null) {
        arrived.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Moves every whole message at the start of what came into {@link #whole}. */
  private void split() {
    int at = 0;
    while (filled - at >= 4) {
      int length =
          ((partial[at] & 0xff) << 24)
              | ((partial[at + 1] & 0xff) << 16)
              | ((partial[at + 2] & 0xff) << 8)
              | (partial[at + 3] & 0xff);
      if (length < 5 || length > maxAnswer) {
        broken = new IOException("SFTP answer of " + length + " bytes");
        return;
      }
      if (filled - at - 4 < length) {
        break;
      }
      whole.add(Arrays.copyOfRange(partial, at + 4, at + 4 + length));
      at += 4 + length;
    }
    System.arraycopy(partial, at, partial, 0, filled - at);
    filled -= at;
  }

  /** The channel ended (the server's EOF, or it was closed): a waiting reader stops waiting. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next answer's body (type, id, what follows), once {@code count} answers are whole, or fewer
   * where the channel ended after them.
   *
   * @param open whether the channel is still open, looked at while nothing comes
   * @throws EOFException where the channel ended before the next answer
   */
  byte[] next(int count, BooleanSupplier open) throws IOException {
    lock.lock();
    try {
      long since = System.nanoTime();
      long silenceNanos = silence.toNanos();
      while (whole.size() < count && !closed && broken == null) {
        wanted = count;
        long quiet = System.nanoTime() - Math.max(since, lastBytes);
        if (quiet >= silenceNanos) {
          throw new SocketTimeoutException("no answer within " + SshConnector.seconds(silence));
        }
        if (arrived.awaitNanos(Math.min(LOOK_NANOS, silenceNanos - quiet)) <= 0
            && whole.size() < count
            && !open.getAsBoolean()) {
          closed = true;
        }
      }
      if (!whole.isEmpty()) { // those before a broken one are whole
        return whole.poll();
      }
      if (broken != null) {
        throw broken;
      }
      throw new EOFException("the channel closed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      wanted = Integer.MAX_VALUE;
      lock.unlock();
    }
  }
}
