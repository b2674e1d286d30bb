package io.appmetricsproxy.replicate;

import static io.appmetricsproxy.store.StoreTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end of a cycle as peers see it: the node named, its folder confirmed with what is fresh. */
class ConfirmationTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Path shared(String relative) {
    return dir.resolve("shared").resolve(relative);
  }

  @Test
  void confirmNamesTheNodeAndOffersOnlyWhatIsFreshEnough() throws IOException {
    Store store = new Store(dir);
    store.open();
    store.put(entry("n1", "old", "o", "o", "a 1\n", NOW.minusSeconds(31)));
    store.put(entry("n1", "new", "n", "n", "a 1\n", NOW));
    new Confirmation(store).confirm("n1", NOW, MAX_AGE);
    assertThat(Files.readString(shared(".node"))).isEqualTo("n1\n");
    assertThat(Files.getLastModifiedTime(shared("n1/.alive")).toInstant()).isEqualTo(NOW);
    assertThat(shared("n1/old.entry")).doesNotExist();
    assertThat(shared("n1/new.entry")).exists();
  }
}
