package io.appmetricsproxy.replicate;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * SSH host keys pinned on first use, one line {@code <peer key> <key type> <base64>} per peer in a
 * file that is re-read on every check, so that removing a line accepts a peer's new key.
 */
public final class PinnedHostKeys implements HostKeyRepository {
  private static final Logger logger = Logger.getLogger(PinnedHostKeys.class.getName());

  /** One pinned key. */
  public record Pin(String peerKey, String type, String base64) {
    /** OpenSSH's {@code SHA256:...} fingerprint of the key. */
    public String fingerprint() {
      return PinnedHostKeys.fingerprint(Base64.getDecoder().decode(base64));
    }

    String line() {
      return peerKey + " " + type + " " + base64;
    }
  }

  private final Path file;

  public PinnedHostKeys(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  /** OpenSSH's fingerprint of a public key blob: {@code SHA256:} and unpadded base64. */
  public static String fingerprint(byte[] keyBlob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key type named inside a public key blob, such as {@code ssh-ed25519}. */
  static String keyType(byte[] keyBlob) {
    if (keyBlob.length < 4) {
      return "unknown";
    }
    int n = ((keyBlob[0] & 0xff) << 24) | ((keyBlob[1] & 0xff) << 16);
    n |= ((keyBlob[2] & 0xff) << 8) | (keyBlob[3] & 0xff);
    if (n <= 0 || n > keyBlob.length - 4 || n > 64) {
      return "unknown";
    }
    return new String(keyBlob, 4, n, StandardCharsets.US_ASCII);
  }

  /** The key pinned for a peer key, read from the file now. */
  public synchronized Optional<Pin> pinned(String peerKey) {
    return read().stream().filter(p -> p.peerKey().equals(peerKey)).findFirst();
  }

  /** OK for the pinned key, CHANGED for another one; an unknown peer's key is pinned and OK. */
  @Override
  public synchronized int check(String peerKey, byte[] keyBlob) {
    Optional<Pin> pin = pinned(peerKey);
    if (pin.isEmpty()) {
      pin(peerKey, keyBlob);
      return OK;
    }
    return Arrays.equals(Base64.getDecoder().decode(pin.get().base64()), keyBlob) ? OK : CHANGED;
  }

  @Override
  public synchronized void add(HostKey hostkey, UserInfo ui) {
    if (pinned(hostkey.getHost()).isEmpty()) {
      pin(hostkey.getHost(), Base64.getDecoder().decode(hostkey.getKey()));
    }
  }

  @Override
  public synchronized void remove(String host, String type) {
    remove(host, type, null);
  }

  @Override
  public synchronized void remove(String host, String type, byte[] key) {
    List<String> kept = new ArrayList<>();
    for (String line : lines()) {
      Pin pin = parse(line);
      if (pin == null || !pin.peerKey().equals(host)) {
        kept.add(line);
      }
    }
    write(kept);
  }

  @Override
  public String getKnownHostsRepositoryID() {
    return file.toString();
  }

  @Override
  public synchronized HostKey[] getHostKey() {
    return toHostKeys(read());
  }

  @Override
  public synchronized HostKey[] getHostKey(String host, String type) {
    return toHostKeys(
        read().stream()
            .filter(p -> host == null || p.peerKey().equals(host))
            .filter(p -> type == null || p.type().equals(type))
            .toList());
  }

  private void pin(String peerKey, byte[] keyBlob) {
    if (peerKey.isEmpty() || peerKey.chars().anyMatch(Character::isWhitespace)) {
      throw new ReplicationException("cannot pin a host key under \"" + peerKey + "\"");
    }
    Pin pin = new Pin(peerKey, keyType(keyBlob), Base64.getEncoder().encodeToString(keyBlob));
    List<String> lines = new ArrayList<>(lines());
    lines.add(pin.line());
    write(lines);
    logger.info(
        "Pinned the " + pin.type() + " host key " + pin.fingerprint() + " of peer " + peerKey);
  }

  private List<Pin> read() {
    List<Pin> pins = new ArrayList<>();
    for (String line : lines()) {
      Pin pin = parse(line);
      if (pin != null) {
        pins.add(pin);
      }
    }
    return pins;
  }

  private static Pin parse(String line) {
    String[] parts = line.trim().split("\\s+");
    if (parts.length < 3 || parts[0].startsWith("#")) {
      return null;
    }
    try {
      Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException ignored) {
      return null;
    }
    return new Pin(parts[0], parts[1], parts[2]);
  }

  private List<String> lines() {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException ignored) {
      return List.of();
    } catch (IOException e) {
      throw new ReplicationException("cannot read the pinned host keys in " + file + ": " + e, e);
    }
  }

  private void write(List<String> lines) {
    Path temp = null;
    try {
      Files.createDirectories(file.getParent());
      temp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
      Files.write(temp, lines, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException ignored) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new ReplicationException("cannot write the pinned host keys to " + file + ": " + e, e);
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    } catch (IOException ignored) {
      // the failure being reported matters more
    }
  }

  private static HostKey[] toHostKeys(List<Pin> pins) {
    List<HostKey> keys = new ArrayList<>();
    for (Pin pin : pins) {
      try {
        keys.add(
            new HostKey(pin.peerKey(), HostKey.GUESS, Base64.getDecoder().decode(pin.base64())));
      } catch (JSchException | RuntimeException ignored) {
        // a key type JSch does not know cannot be preferred; check() still compares it
      }
    }
    return keys.toArray(new HostKey[0]);
  }
}
