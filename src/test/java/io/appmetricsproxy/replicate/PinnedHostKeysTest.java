package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.HostKeyRepository;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedHostKeysTest {
  @TempDir Path dir;

  /** An ssh-ed25519 public key blob with random key bytes. */
  static byte[] ed25519(long seed) {
    byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return ByteBuffer.allocate(4 + type.length + 4 + 32)
        .putInt(type.length)
        .put(type)
        .putInt(32)
        .put(key)
        .array();
  }

  @Test
  void pinsOnFirstUseAcceptsTheSameKeyAndRefusesAnother() throws Exception {
    PinnedHostKeys pins = new PinnedHostKeys(dir.resolve("ssh/known_peers"));
    assertThat(pins.check("node-a", ed25519(1))).isEqualTo(HostKeyRepository.OK);
    assertThat(pins.check("node-a", ed25519(1))).isEqualTo(HostKeyRepository.OK);
    assertThat(pins.check("node-a", ed25519(2))).isEqualTo(HostKeyRepository.CHANGED);
    assertThat(Files.readAllLines(pins.file()))
        .singleElement()
        .asString()
        .startsWith("node-a ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI");
    assertThat(pins.getHostKey("node-a", null))
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.getType()).isEqualTo("ssh-ed25519");
            });
  }

  @Test
  void removingTheLineAcceptsANewKey() throws Exception {
    PinnedHostKeys pins = new PinnedHostKeys(dir.resolve("known_peers"));
    pins.check("node-a", ed25519(1));
    pins.check("node-b", ed25519(3));
    List<String> lines = new ArrayList<>(Files.readAllLines(pins.file()));
    lines.removeIf(l -> l.startsWith("node-a "));
    Files.write(pins.file(), lines);
    assertThat(pins.check("node-a", ed25519(2))).isEqualTo(HostKeyRepository.OK);
    assertThat(pins.check("node-b", ed25519(3))).isEqualTo(HostKeyRepository.OK);
  }

  @Test
  void fingerprintIsOpenSshs() {
    byte[] blob = ed25519(1);
    assertThat(PinnedHostKeys.fingerprint(blob)).startsWith("SHA256:").doesNotEndWith("=");
    assertThat(PinnedHostKeys.fingerprint(blob)).hasSize("SHA256:".length() + 43);
  }

  @Test
  void concurrentPinsAreAllKept() throws Exception {
    PinnedHostKeys pins = new PinnedHostKeys(dir.resolve("known_peers"));
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int n = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  pins.check("node-" + n, ed25519(n));
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "pin-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
    assertThat(Files.readAllLines(pins.file())).hasSize(16);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(pins.file());
    }
  }

  @Test
  void aPeerKeyWithSpacesIsNotPinned() {
    PinnedHostKeys pins = new PinnedHostKeys(dir.resolve("known_peers"));
    assertThatThrownBy(() -> pins.check("a b", ed25519(1)))
        .isInstanceOf(ReplicationException.class)
        .hasMessage("cannot pin a host key under \"a b\"");
  }
}
