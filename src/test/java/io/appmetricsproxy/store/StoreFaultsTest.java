package io.appmetricsproxy.store;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static io.appmetricsproxy.store.StoreTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.replicate.Confirmation;
import io.appmetricsproxy.testing.SmallDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real full or read-only file system: a clear error, and serving goes on. */
class StoreFaultsTest {
  private static final java.time.Instant NOW = java.time.Instant.parse("2026-11-25T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static String served(Store store, String name) {
    return new String(
        snapshot(store, NOW.plusSeconds(5), MAX_AGE)
            .get(name)
            .orElseThrow()
            .payload()
            .toByteArray(),
        StandardCharsets.UTF_8);
  }

  @Test
  void aFullDiskIsAClearErrorAndTheFreshScrapeIsStillServedAndWrittenLater() throws IOException {
    Path folder = dir.resolve("store");
    try (SmallDisk disk = SmallDisk.mount(folder, 512)) {
      Store store = new Store(folder);
      store.open();
      store.put(entry("n1", "small", "small-1", "small", "a 1\n", NOW));
      store.put(entry("n1", "big", "big-1", "big", "b 1\n", NOW));
      disk.fill("filler");
      String big = "b 2\n" + "# padding\n".repeat(10_000);

      assertThatThrownBy(
              () -> store.put(entry("n1", "big", "big-1", "big", big, NOW.plusSeconds(2))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("cannot write " + folder.resolve("shared/n1/big.entry"))
          .hasMessageContaining("No space left on device");

      assertThat(served(store, "small")).isEqualTo("a 1\n");
      assertThat(served(store, "big")).isEqualTo(big); // from memory, the last good scrape
      assertThat(tempFiles(folder)).isZero();

      Files.delete(folder.resolve("filler"));
      store.put(entry("n1", "big", "big-1", "big", big, NOW.plusSeconds(4))); // same content
      // written once there was room
      assertThat(Files.readString(folder.resolve("shared/n1/big.entry"))).endsWith(big);
    }
  }

  @Test
  void aReadOnlyStoreFolderIsAClearErrorAndServingGoesOn() throws IOException {
    Path folder = dir.resolve("store");
    try (SmallDisk disk = SmallDisk.mount(folder, 256)) {
      Store store = new Store(folder);
      store.open();
      store.put(entry("n1", "a", "a-1", "a", "a 1\n", NOW));
      disk.readOnly();

      assertThatThrownBy(() -> store.put(entry("n1", "a", "a-1", "a", "a 2\n", NOW.plusSeconds(1))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("Read-only file system");
      assertThatThrownBy(() -> new Confirmation(store).confirm("n1", NOW.plusSeconds(1), MAX_AGE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("Read-only file system");
      assertThat(served(store, "a")).isEqualTo("a 2\n");

      disk.writable();
      store.put(entry("n1", "a", "a-1", "a", "a 2\n", NOW.plusSeconds(3)));
      assertThat(Files.readString(folder.resolve("shared/n1/a.entry"))).endsWith("\na 2\n");
    }
  }

  private static long tempFiles(Path folder) throws IOException {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(p -> p.getFileName().toString().contains(".tmp-")).count();
    }
  }
}
