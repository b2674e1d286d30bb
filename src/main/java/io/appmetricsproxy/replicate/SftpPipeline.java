package io.appmetricsproxy.replicate;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelSubsystem;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * A second SFTP channel (protocol version 3, RFC draft-ietf-secsh-filexfer-02) on a peer's session,
 * for the two requests every exchange makes: the read of a small file (the manifest) and the write
 * of a temp file (its upload). It sends what does not wait for an answer at once, in one SSH
 * packet: a read is OPEN, then READ and CLOSE together (two round trips, where JSch's {@code get}
 * takes four: its further READs find the end of the file); a write is OPEN, then every WRITE and
 * the CLOSE together, and where the caller asks for it the rename (two, where JSch's {@code put}
 * takes three and one more for every 32 KB, and its rename one more), in WRITEs of up to 255 KiB.
 * Everything else goes by {@link ChannelSftp}. The server answers a channel's requests in order
 * (OpenSSH's sftp-server and Apache MINA SSHD both handle them one at a time). The answers come by
 * {@link SftpAnswers}: the waiting thread is woken once per batch.
 *
 * <p>Not thread-safe: one exchange at a time uses a peer's connection.
 */
final class SftpPipeline implements AutoCloseable {
  /** The READ's length: within what every server answers (MINA SSHD: 63 KiB by default). */
  static final int READ_LENGTH = 60 * 1024;

  /**
   * The data of one WRITE: what OpenSSH's sftp-server takes in one message (256 KiB, the length it
   * announces in {@code limits@openssh.com}) and Apache MINA SSHD too (256 KiB of data by default).
   * An upload that carries a round's changes is then one WRITE, where JSch's 32 KiB made one more
   * request and answer for every 32 KiB.
   */
  static final int WRITE_LENGTH = 255 * 1024;

  /** WRITEs sent before the first of their answers is read: 1 MiB of an upload. */
  private static final int IN_FLIGHT = 4;

  private static final int VERSION = 3;
  private static final int INIT = 1;
  private static final int VERSION_REPLY = 2;
  private static final int OPEN = 3;
  private static final int CLOSE = 4;
  private static final int READ = 5;
  private static final int WRITE = 6;
  private static final int EXTENDED = 200;
  private static final String POSIX_RENAME = "posix-rename@openssh.com";
  private static final int STATUS = 101;
  private static final int HANDLE = 102;
  private static final int DATA = 103;
  private static final int READ_FLAG = 0x01;
  private static final int WRITE_FLAGS = 0x02 | 0x08 | 0x10; // WRITE | CREAT | TRUNC
  private static final int MAX_REPLY = 256 * 1024;
  private static final int BUFFER = 64 * 1024;
  private static final String[] NAMES = {
    "SSH_FX_OK",
    "SSH_FX_EOF",
    "SSH_FX_NO_SUCH_FILE",
    "SSH_FX_PERMISSION_DENIED",
    "SSH_FX_FAILURE",
    "SSH_FX_BAD_MESSAGE",
    "SSH_FX_NO_CONNECTION",
    "SSH_FX_CONNECTION_LOST",
    "SSH_FX_OP_UNSUPPORTED"
  };

  private final BooleanSupplier connected;
  private final Runnable disconnect;
  private final SftpAnswers answers;
  private final DataOutputStream out;
  private int nextId = 1;

  /**
   * @param answers the server's answers, as its channel hands them over
   * @param out to the server
   * @param connected whether the channel is still open
   * @param disconnect closes the channel
   */
  SftpPipeline(
      SftpAnswers answers, OutputStream out, BooleanSupplier connected, Runnable disconnect) {
    this.answers = answers;
    this.out = new DataOutputStream(new BufferedOutputStream(out, BUFFER));
    this.connected = connected;
    this.disconnect = disconnect;
  }

  /** Opens the channel on {@code session} and agrees on version 3. */
  static SftpPipeline open(Session session, int timeoutMillis) throws JSchException, IOException {
    ChannelSubsystem channel = (ChannelSubsystem) session.openChannel("subsystem");
    channel.setSubsystem("sftp");
    SftpAnswers answers = new SftpAnswers(MAX_REPLY, Duration.ofMillis(timeoutMillis));
    channel.setOutputStream(answers); // closed by the channel when it ends
    OutputStream out = channel.getOutputStream();
    channel.connect(timeoutMillis);
    SftpPipeline pipeline =
        new SftpPipeline(
            answers, out, () -> channel.isConnected() && !channel.isClosed(), channel::disconnect);
    try {
      pipeline.agree();
    } catch (IOException e) {
      channel.disconnect();
      throw e;
    }
    return pipeline;
  }

  /** INIT, and the server's VERSION: at least 3. */
  void agree() throws IOException {
    out.writeInt(5);
    out.writeByte(INIT);
    out.writeInt(VERSION);
    out.flush();
    Reply reply = new Reply(answers.next(1, connected));
    if (reply.type != VERSION_REPLY || reply.id < VERSION) {
      throw new IOException("the SFTP server did not agree on version " + VERSION);
    }
  }

  boolean isOpen() {
    return connected.getAsBoolean();
  }

  /**
   * The file's first {@link #READ_LENGTH} bytes: all of them where the file is shorter (the server
   * answers a READ of a regular file with as much as it holds). The caller tells a whole file from
   * a longer one by what it expects.
   *
   * @throws SftpException with the server's status, e.g. {@link ChannelSftp#SSH_FX_NO_SUCH_FILE}
   */
  byte[] readStart(String path) throws SftpException {
    try {
      byte[] handle = open(path, READ_FLAG);
      int read = sendRead(handle, 0L, READ_LENGTH);
      int close = sendClose(handle);
      out.flush();
      byte[] data = new byte[0];
      SftpException failed = null;
      Reply r = expect(read, 2);
      if (r.type == DATA) {
        data = r.string();
      } else if (r.status() != ChannelSftp.SSH_FX_EOF) {
        failed = r.failure("read " + path);
      }
      Reply c = expect(close, 1);
      if (failed == null && c.status() != ChannelSftp.SSH_FX_OK) {
        failed = c.failure("close " + path);
      }
      if (failed != null) {
        throw failed;
      }
      return data;
    } catch (IOException e) {
      throw broken(e);
    }
  }

  /**
   * Writes {@code bytes} to {@code path}, created or truncated: all the WRITEs and the CLOSE go at
   * once after the OPEN, and each answer is checked.
   *
   * @throws SftpException with the first refusal's status
   */
  void write(String path, byte[] bytes) throws SftpException {
    write(path, bytes, null);
  }

  /**
   * {@link #write}, and with the CLOSE a {@code posix-rename@openssh.com} of {@code path} to {@code
   * renameTo} (where not null), which the server carries out even when a WRITE before it failed:
   * only for a server that takes what is renamed there as a whole or refuses it (a proxy's, which
   * takes a manifest upload instead of renaming it, and deletes it either way).
   *
   * @throws SftpException with the first refusal's status
   */
  void write(String path, byte[] bytes, String renameTo) throws SftpException {
    try {
      byte[] handle = open(path, WRITE_FLAGS);
      int answered = nextId; // the first request whose answer was not read yet
      SftpException failed = null;
      for (int offset = 0; offset < bytes.length; offset += WRITE_LENGTH) {
        if (nextId - answered == IN_FLIGHT) { // their answers stay within the channel's buffer
          out.flush();
          failed = checked(expect(answered++, 1), "write " + path, failed);
        }
        sendWrite(handle, offset, bytes, Math.min(WRITE_LENGTH, bytes.length - offset));
      }
      int close = sendClose(handle);
      int rename = renameTo == null ? close : sendRename(path, renameTo);
      out.flush();
      while (answered <= rename) {
        int id = answered++;
        String what =
            id == rename && renameTo != null
                ? "rename " + path + " to " + renameTo
                : (id == close ? "close " : "write ") + path;
        failed = checked(expect(id, rename - id + 1), what, failed);
      }
      if (failed != null) {
        throw failed;
      }
    } catch (IOException e) {
      throw broken(e);
    }
  }

  private int sendRename(String from, String to) throws IOException {
    byte[] request = POSIX_RENAME.getBytes(StandardCharsets.US_ASCII);
    byte[] a = from.getBytes(StandardCharsets.UTF_8);
    byte[] b = to.getBytes(StandardCharsets.UTF_8);
    int id = begin(EXTENDED, 4 + request.length + 4 + a.length + 4 + b.length);
    string(request);
    string(a);
    string(b);
    return id;
  }

  /** The first refusal: {@code failed}, else {@code r}'s when it is not OK. */
  private static SftpException checked(Reply r, String what, SftpException failed)
      throws IOException {
    if (failed == null && r.status() != ChannelSftp.SSH_FX_OK) {
      return r.failure(what);
    }
    return failed;
  }

  @Override
  public void close() {
    disconnect.run();
  }

  private byte[] open(String path, int flags) throws IOException, SftpException {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    int id = begin(OPEN, 4 + name.length + 4 + 4);
    string(name);
    out.writeInt(flags);
    out.writeInt(0); // no attributes
    out.flush();
    Reply r = expect(id, 1);
    if (r.type == HANDLE) {
      return r.string();
    }
    throw r.failure("open " + path);
  }

  /** READ (handle, offset, length); not flushed. */
  private int sendRead(byte[] handle, long offset, int length) throws IOException {
    int id = begin(READ, 4 + handle.length + 8 + 4);
    string(handle);
    out.writeLong(offset);
    out.writeInt(length);
    return id;
  }

  /** CLOSE (handle); not flushed. */
  private int sendClose(byte[] handle) throws IOException {
    int id = begin(CLOSE, 4 + handle.length);
    string(handle);
    return id;
  }

  private void sendWrite(byte[] handle, long offset, byte[] bytes, int length) throws IOException {
    begin(WRITE, 4 + handle.length + 8 + 4 + length);
    string(handle);
    out.writeLong(offset);
    out.writeInt(length);
    out.write(bytes, (int) offset, length);
  }

  /** A request's length, type and a new id, {@code body} bytes to follow; returns the id. */
  private int begin(int type, int body) throws IOException {
    int id = nextId++;
    out.writeInt(1 + 4 + body);
    out.writeByte(type);
    out.writeInt(id);
    return id;
  }

  private void string(byte[] s) throws IOException {
    out.writeInt(s.length);
    out.write(s);
  }

  /**
   * The next answer, which must be to request {@code id}: the server answers in order. {@code
   * batch}: the answers due from here on in this batch, {@code id}'s included; the thread waits
   * until all of them came, and is woken once for them.
   */
  private Reply expect(int id, int batch) throws IOException {
    Reply r = new Reply(answers.next(batch, connected));
    if (r.id != id) {
      throw new IOException("SFTP answer to request " + r.id + " where " + id + " was due");
    }
    return r;
  }

  private SftpException broken(IOException e) {
    disconnect.run(); // what is left of its answers cannot be matched to requests any more
    String why = e instanceof EOFException ? "the channel closed" : String.valueOf(e.getMessage());
    return new SftpException(ChannelSftp.SSH_FX_CONNECTION_LOST, why, e);
  }

  /** One answer: its type, its request id (the version, for VERSION), and what follows. */
  private static final class Reply {
    final int type;
    final int id;
    private final byte[] body;
    private int at = 5;

    Reply(byte[] body) {
      this.body = body;
      this.type = body[0] & 0xff;
      this.id = readInt(body, 1);
    }

    int status() throws IOException {
      if (type != STATUS) {
        throw new IOException("SFTP answer of type " + type + " where a status was due");
      }
      return readInt(body, 5);
    }

    byte[] string() throws IOException {
      if (at + 4 > body.length) {
        throw new IOException("SFTP answer too short");
      }
      int length = readInt(body, at);
      if (length < 0 || at + 4 + length > body.length) {
        throw new IOException("SFTP answer too short");
      }
      byte[] s = Arrays.copyOfRange(body, at + 4, at + 4 + length);
      at += 4 + length;
      return s;
    }

    /** As JSch words a refusal: the status's name, then the server's message. */
    SftpException failure(String what) throws IOException {
      int code = status();
      at = 9;
      String message = at + 4 <= body.length ? new String(string(), StandardCharsets.UTF_8) : "";
      String name = code < NAMES.length ? NAMES[code] : "SFTP status " + code;
      return new SftpException(
          code, message.isBlank() ? what + ": " + name : name + ": " + message);
    }

    private static int readInt(byte[] b, int at) {
      return ((b[at] & 0xff) << 24)
          | ((b[at + 1] & 0xff) << 16)
          | ((b[at + 2] & 0xff) << 8)
          | (b[at + 3] & 0xff);
    }
  }
}
