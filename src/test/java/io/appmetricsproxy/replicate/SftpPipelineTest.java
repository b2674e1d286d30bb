package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipeline against a scripted SFTP server that answers whatever it has received each time its
 * input runs dry, and records how many requests came before each of its answers: a client that
 * waited for an answer between two requests shows as two batches.
 */
@Timeout(10)
class SftpPipelineTest {
  private static final byte[] HANDLE = "h1".getBytes(StandardCharsets.US_ASCII);

  private Script server;
  private SftpPipeline pipeline;

  @BeforeEach
  void start() throws IOException {
    PipedInputStream fromClient = new PipedInputStream(1 << 20);
    PipedOutputStream toServer = new PipedOutputStream(fromClient);
    PipedInputStream fromServer = new PipedInputStream(1 << 20);
    PipedOutputStream toClient = new PipedOutputStream(fromServer);
    server = new Script(new DataInputStream(fromClient), new DataOutputStream(toClient));
    server.start();
    AtomicBoolean open = new AtomicBoolean(true);
    pipeline = new SftpPipeline(pumped(fromServer), toServer, open::get, () -> open.set(false));
    pipeline.agree();
  }

  /**
   * The server's answers handed over as an SSH session's thread does: whatever each read gives, in
   * one write; closed at the end.
   */
  private static SftpAnswers pumped(java.io.InputStream fromServer) {
    SftpAnswers answers = new SftpAnswers(256 * 1024, java.time.Duration.ofSeconds(5));
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[4096];
              try (answers) {
                for (int n; (n = fromServer.read(buffer)) >= 0; ) {
                  answers.write(buffer, 0, n);
                }
              } catch (IOException ended) {
                // the server's side closed
              }
            },
            "test-sftp-answers");
    pump.setDaemon(true);
    pump.start();
    return answers;
  }

  @AfterEach
  void stop() {
    server.interrupt();
  }

  @Test
  void aReadIsTheOpenThenItsReadAndCloseTogether() throws Exception {
    server.file = "amp-manifest 2 5\nend 0\n".getBytes(StandardCharsets.US_ASCII);

    assertThat(new String(pipeline.readStart(".manifest"), StandardCharsets.US_ASCII))
        .isEqualTo("amp-manifest 2 5\nend 0\n");
    assertThat(server.batches())
        .containsExactly(List.of("INIT"), List.of("OPEN"), List.of("READ", "CLOSE"));
  }

  @Test
  void aWriteIsTheOpenThenItsWritesCloseAndRenameTogether() throws Exception {
    byte[] upload = new byte[40_000];
    new java.util.Random(1).nextBytes(upload);

    pipeline.write(".manifest.upload", upload, ".manifest");

    assertThat(server.batches())
        .containsExactly(
            List.of("INIT"),
            List.of("OPEN"),
            List.of("WRITE", "CLOSE", "EXTENDED posix-rename@openssh.com"));
    assertThat(server.written()).isEqualTo(upload);
    assertThat(server.renamed).isEqualTo(".manifest.upload -> .manifest");
  }

  /** 255 KiB per WRITE: what OpenSSH and MINA SSHD take in one message. */
  @Test
  void aLargeWriteGoesIn255KibWrites() throws Exception {
    byte[] upload = new byte[2 * SftpPipeline.WRITE_LENGTH + 1];
    new java.util.Random(2).nextBytes(upload);

    pipeline.write(".manifest.upload", upload);

    assertThat(server.batches().stream().flatMap(List::stream))
        .containsExactly("INIT", "OPEN", "WRITE", "WRITE", "WRITE", "CLOSE");
    assertThat(server.writeLengths()).containsExactly(261_120, 261_120, 1);
    assertThat(server.written()).isEqualTo(upload);
  }

  @Test
  void theFirstRefusalIsReportedAndEveryAnswerIsRead() throws Exception {
    server.refuse.put("WRITE", "No space left on device");

    assertThatThrownBy(() -> pipeline.write(".manifest.upload", new byte[100], ".manifest"))
        .isInstanceOfSatisfying(
            SftpException.class, e -> assertThat(e.id).isEqualTo(ChannelSftp.SSH_FX_FAILURE))
        .hasMessage("SSH_FX_FAILURE: No space left on device");
    // the answers to the CLOSE and the rename were read too: the next request meets its own
    server.refuse.clear();
    server.file = new byte[] {'x'};
    assertThat(pipeline.readStart("a")).containsExactly('x');
  }

  @Test
  void aRefusedOpenIsTheServersStatus() {
    server.refuse.put("OPEN", "");

    assertThatThrownBy(() -> pipeline.readStart(".manifest"))
        .isInstanceOfSatisfying(
            SftpException.class, e -> assertThat(e.id).isEqualTo(ChannelSftp.SSH_FX_FAILURE))
        .hasMessage("open .manifest: SSH_FX_FAILURE");
  }

  @Test
  void aChannelThatClosesMidwayIsALostConnectionAndClosesThePipeline() {
    server.hangUpAfter = "OPEN";

    assertThatThrownBy(() -> pipeline.readStart(".manifest"))
        .isInstanceOfSatisfying(
            SftpException.class,
            e -> assertThat(e.id).isEqualTo(ChannelSftp.SSH_FX_CONNECTION_LOST));
    assertThat(pipeline.isOpen()).isFalse();
  }

  /** The scripted server: one file to read, writes kept by offset, refusals by request type. */
  private static final class Script extends Thread {
    private final DataInputStream in;
    private final DataOutputStream out;
    private final List<List<String>> batches = new ArrayList<>();
    private final ByteArrayOutputStream writes = new ByteArrayOutputStream();
    private final List<Integer> writeLengths = new ArrayList<>();
    final Map<String, String> refuse = new ConcurrentHashMap<>();
    volatile byte[] file = new byte[0];
    volatile String renamed;
    volatile String hangUpAfter;

    Script(DataInputStream in, DataOutputStream out) {
      this.in = in;
      this.out = out;
      setDaemon(true);
    }

    synchronized List<List<String>> batches() {
      return List.copyOf(batches);
    }

    synchronized byte[] written() {
      return writes.toByteArray();
    }

    synchronized List<Integer> writeLengths() {
      return List.copyOf(writeLengths);
    }

    @Override
    public void run() {
      try {
        List<String> batch = new ArrayList<>();
        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        while (!isInterrupted()) {
          byte[] request = new byte[in.readInt()];
          in.readFully(request);
          String type = answer(request, new DataOutputStream(answers));
          batch.add(type);
          if (in.available() == 0) {
            synchronized (this) {
              batches.add(List.copyOf(batch));
            }
            batch.clear();
            if (type.equals(hangUpAfter)) {
              out.close();
              return;
            }
            out.write(answers.toByteArray());
            out.flush();
            answers.reset();
          }
        }
      } catch (IOException ended) {
        // the test is over
      }
    }

    private String answer(byte[] request, DataOutputStream a) throws IOException {
      DataInputStream r = new DataInputStream(new java.io.ByteArrayInputStream(request));
      int type = r.readUnsignedByte();
      if (type == 1) {
        a.writeInt(5);
        a.writeByte(2);
        a.writeInt(3);
        return "INIT";
      }
      int id = r.readInt();
      String name =
          switch (type) {
            case 3 -> "OPEN";
            case 4 -> "CLOSE";
            case 5 -> "READ";
            case 6 -> "WRITE";
            case 200 -> "EXTENDED";
            default -> "type " + type;
          };
      if (refuse.containsKey(name)) {
        status(a, id, 4, refuse.get(name));
        return name;
      }
      switch (name) {
        case "OPEN" -> withString(a, 102, id, HANDLE);
        case "READ" -> {
          string(r);
          long offset = r.readLong();
          int length = r.readInt();
          byte[] data =
              Arrays.copyOfRange(
                  file,
                  (int) Math.min(offset, file.length),
                  (int) Math.min(offset + length, file.length));
          if (data.length == 0) {
            status(a, id, 1, "");
          } else {
            withString(a, 103, id, data);
          }
        }
        case "WRITE" -> {
          string(r);
          long offset = r.readLong();
          byte[] data = string(r);
          synchronized (this) {
            assertThat(offset).isEqualTo(writes.size());
            writes.write(data);
            writeLengths.add(data.length);
          }
          status(a, id, 0, "");
        }
        case "EXTENDED" -> {
          name += " " + new String(string(r), StandardCharsets.US_ASCII);
          renamed =
              new String(string(r), StandardCharsets.UTF_8)
                  + " -> "
                  + new String(string(r), StandardCharsets.UTF_8);
          status(a, id, 0, "");
        }
        default -> status(a, id, 0, "");
      }
      return name;
    }

    private static byte[] string(DataInputStream r) throws IOException {
      byte[] s = new byte[r.readInt()];
      r.readFully(s);
      return s;
    }

    /** HANDLE or DATA: the answer's type, its id, one string. */
    private static void withString(DataOutputStream a, int type, int id, byte[] s)
        throws IOException {
      a.writeInt(1 + 4 + 4 + s.length);
      a.writeByte(type);
      a.writeInt(id);
      a.writeInt(s.length);
      a.write(s);
    }

    private static void status(DataOutputStream a, int id, int code, String message)
        throws IOException {
      byte[] m = message.getBytes(StandardCharsets.UTF_8);
      a.writeInt(1 + 4 + 4 + 4 + m.length + 4);
      a.writeByte(101);
      a.writeInt(id);
      a.writeInt(code);
      a.writeInt(m.length);
      a.write(m);
      a.writeInt(0);
    }
  }
}
