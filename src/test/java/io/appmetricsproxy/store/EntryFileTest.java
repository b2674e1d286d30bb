package io.appmetricsproxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.exposition.Format;
import io.appmetricsproxy.exposition.Payload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An entry file carries where its container runs to the other nodes, and old files still read. */
class EntryFileTest {
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
  private static final Payload BODY =
      Payload.of("up 1\n".getBytes(StandardCharsets.UTF_8), Format.TEXT);

  @Test
  void labelsAndTheNodesAddressGoWithTheEntry() throws IOException {
    Entry e =
        new Entry(
            "n2",
            "c1",
            "shop_web.2.x",
            "web",
            AT,
            BODY,
            true,
            Map.of("service", "web", "stack", "shop", "task_slot", "2"),
            Optional.of("10.0.0.3:2137"));
    byte[] file = EntryFile.encode(e);
    assertThat(new String(file, StandardCharsets.UTF_8))
        .contains("address: 10.0.0.3:2137\n", "label.service: web\n", "label.task_slot: 2\n");
    Entry back = EntryFile.decode(file, true);
    assertThat(back).isEqualTo(e);
    assertThat(back.sameContent(e)).isTrue();
    assertThat(e.sameContent(e.withScrapedAt(AT))).isTrue();
    Entry moved =
        new Entry("n2", "c1", "shop_web.2.x", "web", AT, BODY, true, e.labels(), Optional.empty());
    assertThat(moved.sameContent(e)).as("a changed address is a change to write").isFalse();
  }

  @Test
  void aFileOfAnEarlierVersionHasNoLabelsAndNoAddress() throws IOException {
    String old =
        EntryFile.MAGIC
            + "\nnode: n2\ncontainer-id: c1\ncontainer: web-1\nname: web\n"
            + "scraped-at: 2026-12-01T10:00:00Z\nformat: TEXT\n\nup 1\n";
    Entry e = EntryFile.decode(old.getBytes(StandardCharsets.UTF_8), true);
    assertThat(e.labels()).isEmpty();
    assertThat(e.address()).isEmpty();
    assertThat(e.payload().toByteArray()).isEqualTo(BODY.toByteArray());
  }
}
