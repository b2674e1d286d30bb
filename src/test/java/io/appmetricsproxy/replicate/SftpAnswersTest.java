package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SftpAnswersTest {
  private static final java.time.Duration SILENCE = java.time.Duration.ofSeconds(5);

  /** An SFTP message: length, type 101 (STATUS), id, status 0. */
  private static byte[] status(int id) {
    return ByteBuffer.allocate(4 + 9).putInt(9).put((byte) 101).putInt(id).putInt(0).array();
  }

  private static int id(byte[] body) {
    return ByteBuffer.wrap(body, 1, 4).getInt();
  }

  @Test
  void answersAreCutWholeWhateverThePacketsHold() throws IOException {
    SftpAnswers answers = new SftpAnswers(1024, SILENCE);
    ByteArrayOutputStream three = new ByteArrayOutputStream();
    three.write(status(1));
    three.write(status(2));
    three.write(status(3));
    byte[] all = three.toByteArray();
    answers.write(all, 0, 5); // a length and the type
    answers.write(all, 5, 20); // the rest of the first, most of the second
    answers.write(all, 25, all.length - 25);

    for (int id = 1; id <= 3; id++) {
      byte[] body = answers.next(1, () -> true);
      assertThat(body).hasSize(9);
      assertThat(id(body)).isEqualTo(id);
    }
  }

  @Test
  void aReaderWaitsUntilTheWholeBatchCame() throws Exception {
    SftpAnswers answers = new SftpAnswers(1024, SILENCE);
    CompletableFuture<byte[]> first = reading(answers, 3);
    answers.write(status(1));
    answers.write(status(2));
    assertThatThrownBy(() -> first.get(200, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    answers.write(status(3));
    assertThat(id(first.get(5, TimeUnit.SECONDS))).isEqualTo(1);
    assertThat(id(answers.next(2, () -> true))).isEqualTo(2);
    assertThat(id(answers.next(1, () -> true))).isEqualTo(3);
  }

  @Test
  void theWholeOnesBeforeABadLengthAreTakenThenItBreaks() throws IOException {
    SftpAnswers answers = new SftpAnswers(64, SILENCE);
    answers.write(status(1));
    answers.write(ByteBuffer.allocate(8).putInt(65).putInt(0).array());

    assertThat(id(answers.next(2, () -> true))).isEqualTo(1);
    assertThatThrownBy(() -> answers.next(1, () -> true))
        .isInstanceOf(IOException.class)
        .hasMessage("SFTP answer of 65 bytes");
  }

  @Test
  void aChannelThatEndsEndsTheWait() throws Exception {
    SftpAnswers answers = new SftpAnswers(1024, SILENCE);
    answers.write(status(1));
    answers.close();
    assertThat(id(answers.next(2, () -> true))).isEqualTo(1);
    assertThatThrownBy(() -> answers.next(1, () -> true)).isInstanceOf(EOFException.class);

    // one that closed without a word: seen within a second of waiting
    SftpAnswers silent = new SftpAnswers(1024, SILENCE);
    assertThatThrownBy(() -> silent.next(1, () -> false)).isInstanceOf(EOFException.class);
  }

  /**
   * A reader waits as long as bytes keep coming, each part of an answer starting the silence anew,
   * and no longer than the silence after the last of them: the pipeline's own read timeout.
   */
  @Test
  void aReaderWaitsNoLongerThanTheSilenceSinceTheLastBytes() throws Exception {
    SftpAnswers answers = new SftpAnswers(1024, java.time.Duration.ofMillis(400));
    byte[] one = status(1);
    CompletableFuture<byte[]> reading = reading(answers, 1);
    for (int i = 0; i < one.length; i++) { // a byte every 100 ms: 1.3 s in all, past the silence
      Thread.sleep(100);
      answers.write(one, i, 1);
    }
    assertThat(id(reading.get(5, TimeUnit.SECONDS))).isEqualTo(1);

    long start = System.nanoTime();
    assertThatThrownBy(() -> answers.next(1, () -> true))
        .isInstanceOf(java.net.SocketTimeoutException.class)
        .hasMessage("no answer within 400 ms");
    assertThat((System.nanoTime() - start) / 1e6).isBetween(350.0, 2000.0);
    // what comes after is taken as it comes: the wait was given up, nothing broken
    answers.write(status(2));
    assertThat(id(answers.next(1, () -> true))).isEqualTo(2);
  }

  /** {@code answers.next(count, …)} on a thread of its own. */
  private static CompletableFuture<byte[]> reading(SftpAnswers answers, int count) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return answers.next(count, () -> true);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
