package io.appmetricsproxy.replicate;

import static io.appmetricsproxy.status.StoreSnapshots.snapshot;
import static io.appmetricsproxy.store.StoreTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.status.Served;
import io.appmetricsproxy.store.Entry;
import io.appmetricsproxy.store.EntryFile;
import io.appmetricsproxy.store.Store;
import io.appmetricsproxy.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another node's files reach the store by one way, whichever side wrote them, with one check. */
class ArrivalsTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static byte[] encoded(Entry e) throws IOException {
    return EntryFile.encode(e);
  }

  private Path shared(String relative) {
    return dir.resolve("shared").resolve(relative);
  }

  @Test
  void anotherNodesEntryIsServedWhileThatNodeConfirmsItsFolder() throws IOException {
    Store store = new Store(dir);
    store.open();
    Arrivals arrivals = new Arrivals(store);
    store.put(entry("n1", "mine", "web-1", "web", "a 1\n", NOW));
    Entry theirs = entry("n2", "theirs", "web-2", "web", "a 2\n", NOW.minusSeconds(300));
    arrivals.receive("n2", "theirs.entry", encoded(theirs), NOW.minusSeconds(300));
    arrivals.receive("n2", ".alive", new byte[0], NOW);
    Served web = snapshot(store, NOW.plusSeconds(10), MAX_AGE).get("web").get();
    assertThat(new String(web.payload().toByteArray(), StandardCharsets.UTF_8))
        .contains("web-1", "web-2", "node=\"n2\"");
    store.put(entry("n1", "mine", "web-1", "web", "a 1\n", NOW.plusSeconds(20)));
    assertThat(snapshot(store, NOW.plusSeconds(31), MAX_AGE).get("web").get().entries())
        .extracting(Entry::node)
        .containsExactly("n1");

    new Confirmation(store).confirm("n1", NOW.plusSeconds(31), MAX_AGE);
    assertThat(shared("n2")).isEmptyDirectory();
    assertThat(store.entries()).extracting(Entry::node).containsExactly("n1");
  }

  /**
   * An entry that came with its exposition's gzip (an upload's, checked as it was inflated) keeps
   * it as its payload's own: served as it came, not gzipped again.
   */
  @Test
  void anEntryReceivedWithItsGzipKeepsIt() throws IOException {
    Store store = new Store(dir);
    store.open();
    Arrivals arrivals = new Arrivals(store);
    Entry theirs = entry("n2", "theirs", "web-2", "web", "a 2\n", NOW);
    byte[] gzip = theirs.payload().gzip().clone();
    arrivals.receive("n2", "theirs.entry", encoded(theirs), java.util.Optional.of(gzip), NOW);
    arrivals.receive("n2", ".alive", new byte[0], NOW);

    Entry kept = store.entries().get(0);
    assertThat(kept.payload().gzip()).isSameAs(gzip);
    assertThat(kept.payload()).isEqualTo(theirs.payload());
    assertThat(shared("n2/theirs.entry")).hasBinaryContent(encoded(theirs));
  }

  @Test
  void aReceivedFileThatDoesNotMatchItsPathIsRefusedAndNothingIsWritten() throws IOException {
    Store store = new Store(dir);
    store.open();
    Arrivals arrivals = new Arrivals(store);
    store.put(entry("n1", "mine", "web-1", "web", "a 1\n", NOW));
    byte[] n2 = encoded(entry("n2", "c2", "web-2", "web", "a 2\n", NOW));
    assertThatThrownBy(() -> arrivals.receive("n3", "c2.entry", n2, NOW))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("names node \"n2\"");
    assertThatThrownBy(() -> arrivals.receive("n2", "other.entry", n2, NOW))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> arrivals.receive("n2", "c2.entry", "junk".getBytes(), NOW))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not an entry file");
    assertThatThrownBy(
            () ->
                arrivals.receive(
                    "n1", "mine.entry", encoded(entry("n1", "mine", "x", "x", "a 9\n", NOW)), NOW))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("written by this node only");
    assertThatThrownBy(() -> arrivals.receive("..", "c2.entry", n2, NOW))
        .isInstanceOf(StoreException.class);
    assertThat(shared("n3")).doesNotExist();
    assertThat(shared("n2")).doesNotExist();
    assertThat(store.entries()).extracting(Entry::containerId).containsExactly("mine");
  }

  @Test
  void aFileTheServerWroteIsReadAgainAndDeletedWhenBad() throws IOException {
    Store store = new Store(dir);
    store.open();
    Arrivals arrivals = new Arrivals(store);
    store.put(entry("n1", "mine", "web-1", "web", "a 1\n", NOW));
    Files.createDirectories(shared("n2"));
    Files.write(shared("n2/c2.entry"), encoded(entry("n2", "c2", "web-2", "web", "a 2\n", NOW)));
    arrivals.arrived("n2", "c2.entry");
    assertThat(store.entries()).hasSize(2);
    Files.write(shared("n2/c2.entry"), "a 1\n".getBytes());
    arrivals.arrived("n2", "c2.entry");
    assertThat(shared("n2/c2.entry")).doesNotExist();
    assertThat(store.entries()).hasSize(1);
  }
}
