package io.appmetricsproxy.replicate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.replicate.server.Place.Kind;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaceTest {
  @ParameterizedTest
  @CsvSource({
    "/, ROOT, , ",
    "/.node, NODE_FILE, , .node",
    "/n1, NODE, n1, ",
    "/../n1, NODE, n1, ",
    "/n1/a.entry, ENTRY, n1, a.entry",
    "/n1/../n2/a.entry, ENTRY, n2, a.entry",
    "/n1/.a.entry.part-x9, TEMP, n1, .a.entry.part-x9",
    "/n1/.alive, ENTRY, n1, .alive",
    "/n1/..alive.part-Q1, TEMP, n1, ..alive.part-Q1",
    "/n1/.alive2, OTHER, , ",
    "/n1/.a.entry.part-, OTHER, , ",
    "/n1/.a.entry.part-x.y, OTHER, , ",
    "/n1/.entry, OTHER, , ",
    "/n1/a.entry/b.entry, OTHER, , ",
    "/.n1/a.entry, OTHER, , ",
    "/-n1, OTHER, , ",
    "/n1/a.txt, OTHER, , ",
    "/n1/.node, OTHER, , ",
    "/etc/passwd, OTHER, , ",
  })
  void classifies(String path, Kind kind, String node, String file) {
    assertThat(Place.of(Path.of(path))).isEqualTo(new Place(kind, node, file));
  }

  @ParameterizedTest
  @CsvSource({
    ".a.entry.part-x9, a.entry",
    ".a.b-c_d.entry.part-Z0, a.b-c_d.entry",
    ".a.entry.part-x.entry.part-y, a.entry.part-x.entry",
  })
  void namesTheEntryOfATempFile(String temp, String entry) {
    assertThat(Place.of(Path.of("/n1", temp)).entryOfTemp()).isEqualTo(entry);
  }
}
