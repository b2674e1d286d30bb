package io.appmetricsproxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.store.Manifest.Folder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static final long AS_OF = 1_764_600_000L;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What a reader that stops at the end line ({@code SftpRemote}) takes for a whole manifest. */
  @Test
  void aManifestIsWholeAtItsEndLineOnly() {
    for (int n : new int[] {0, 1, 3, 200}) {
      Map<String, Folder> folders = new java.util.TreeMap<>();
      for (int i = 0; i < n; i++) {
        folders.put("n" + i, new Folder(AS_OF - i, i % 2 == 0 ? "" : "1764599990" + i));
      }
      byte[] written = new Manifest(folders, Manifest.Takes.values()[n % 3]).format();

      assertThat(Manifest.whole(written)).as("%d folders", n).isTrue();
      for (int cut = 0; cut < written.length; cut++) {
        assertThat(Manifest.whole(Arrays.copyOf(written, cut))).as("%d of it", cut).isFalse();
      }
      byte[] more = Arrays.copyOf(written, written.length + 6);
      System.arraycopy(bytes("end 0\n"), 0, more, written.length, 6);
      assertThat(Manifest.whole(more)).as("a second end line").isFalse();
    }
    // a folder named "end" does not end it
    assertThat(Manifest.whole(bytes("amp-manifest 1 5\nend 1\n"))).isFalse();
  }

  @Test
  void aManifestReadsBackAsWritten() {
    Manifest m =
        new Manifest(
            Map.of(
                "n1", new Folder(AS_OF - 3, "1764599990123"),
                "n2", new Folder(AS_OF + 2, ""), // confirmed "later" than as of: a clock ahead
                "n3", new Folder(AS_OF - 400, "1764599000000")));
    byte[] written = m.format();

    assertThat(new String(written, StandardCharsets.UTF_8))
        .isEqualTo(
            "amp-manifest 1 1764600002\n" // its latest confirmation
                + "n1 1764599990123\n"
                + "n2 -\n"
                + "n3 1764599000000\n"
                + "ages 5 0 402\n"
                + "end 3\n");
    // every folder confirmed once more an interval later: only the header changes
    Manifest later =
        new Manifest(
            Map.of(
                "n1", new Folder(AS_OF + 7, "1764599990123"),
                "n2", new Folder(AS_OF + 12, ""),
                "n3", new Folder(AS_OF - 390, "1764599000000")));
    assertThat(new String(later.format(), StandardCharsets.UTF_8))
        .isEqualTo(
            new String(written, StandardCharsets.UTF_8).replace("1764600002\n", "1764600012\n"));
    assertThat(Manifest.parse(written)).contains(m);
    assertThat(Manifest.parse(new Manifest(Map.of()).format()))
        .hasValueSatisfying(e -> assertThat(e.folders()).isEmpty());
    // a store's own: version 3, it takes folders in the upload of a manifest, their entries gzipped
    Manifest store = new Manifest(m.folders(), Manifest.Takes.GZIPPED_FOLDERS);
    byte[] stores = store.format();
    assertThat(new String(stores, StandardCharsets.UTF_8))
        .startsWith("amp-manifest 3 1764600002\n");
    assertThat(Manifest.parse(stores))
        .contains(store)
        .hasValueSatisfying(p -> assertThat(p.takesGzippedEntries()).isTrue());
    assertThat(Manifest.parse(written))
        .hasValueSatisfying(p -> assertThat(p.takesFolders()).isFalse());
    // an earlier proxy's: version 2, it takes folders whose entries go as they are
    byte[] earlier = new Manifest(m.folders(), Manifest.Takes.FOLDERS).format();
    assertThat(new String(earlier, StandardCharsets.UTF_8))
        .startsWith("amp-manifest 2 1764600002\n");
    assertThat(Manifest.parse(earlier))
        .hasValueSatisfying(
            p -> {
              assertThat(p.takesFolders()).isTrue();
              assertThat(p.takesGzippedEntries()).isFalse();
            });
    // a later version is no manifest to this reader: the exchange falls back to the .alive files
    assertThat(
            Manifest.parse(
                bytes(
                    new String(stores, StandardCharsets.UTF_8)
                        .replace("amp-manifest 3", "amp-manifest 4"))))
        .isEmpty();
  }

  /** Folder lines out of order (not what a store writes, but nothing says they must be): sorted. */
  @Test
  void foldersOutOfOrderReadAsTheSameFolders() {
    Manifest m =
        new Manifest(
            Map.of(
                "n1",
                new Folder(AS_OF - 5, "1"),
                "n2",
                new Folder(AS_OF, "2"),
                "n3",
                new Folder(AS_OF - 1, "-")));

    assertThat(
            Manifest.parse(
                bytes("amp-manifest 1 1764600000\nn3 -\nn1 1\nn2 2\nages 1 5 0\nend 3\n")))
        .contains(m);
    assertThat(
            Manifest.parse(
                bytes("amp-manifest 1 1764600000\nn2 2\nn1 1\nn2 3\nages 0 5 0\nend 3\n")))
        .as("one folder twice, apart")
        .isEmpty();
  }

  /** Folders named as the lines after them, and ages with the signs a number may have. */
  @Test
  void foldersAreTheLinesBetweenTheHeaderAndTheLastTwo() {
    assertThat(
            Manifest.parse(bytes("amp-manifest 1 1764600000\nages 1\nend -\nages +3 -2\nend 2\n")))
        .contains(
            new Manifest(
                Map.of("ages", new Folder(AS_OF - 3, "1"), "end", new Folder(AS_OF + 2, ""))));
  }

  @Test
  void aTornManifestIsNone() {
    byte[] whole =
        new Manifest(Map.of("n1", new Folder(AS_OF, "1"), "n2", new Folder(AS_OF, "2"))).format();
    for (int cut = 0; cut < whole.length; cut++) {
      assertThat(Manifest.parse(Arrays.copyOf(whole, cut))).as("cut at %d", cut).isEmpty();
    }
  }

  @Test
  void anythingElseIsNone() {
    for (String text :
        new String[] {
          "",
          "1764600000123\n", // an .alive, not a manifest
          "amp-manifest 4 1764600000\nages\nend 0\n", // another version
          "amp-manifest 1 1764600000\nn1 1\nages 0\nend 2\n", // count does not match
          "amp-manifest 1 1764600000\nn1 1\nages 0 0\nend 1\n", // ages do not match
          "amp-manifest 1 1764600000\nn1 1\nn2 1\nages 0\nend 2\n",
          "amp-manifest 1 1764600000\nn1 1\nn1 2\nages 0 0\nend 2\n", // one folder twice
          "amp-manifest 1 1764600000\n../x 1\nages 0\nend 1\n", // not a folder name
          "amp-manifest 1 1764600000\nn1 1\nages zero\nend 1\n",
          "amp-manifest 1 1764600000\nn1  1\nages 0\nend 1\n",
          "amp-manifest 1 1764600000\nn1 1 0\nages 0\nend 1\n", // a line of three fields
          "amp-manifest 1 x\nages\nend 0\n",
          "amp-manifest 1 1764600000\nn1 1\nages -9223372036854775808\nend 1\n", // overflows
          "amp-manifest 1 1764600000\nages\nend 0\nextra\n",
          "amp-manifest 1 1764600000\nn1 1\nages  0\nend 1\n", // two spaces
          "amp-manifest 1 1764600000\nn1 1\nages 0 \nend 1\n", // a space after the last age
          "amp-manifest 1 1764600000\nages \nend 0\n",
          "amp-manifest 1 1764600000\nn1 1\nagesX 0\nend 1\n",
          "amp-manifest 1 1764600000\nn1 1\nend 1\n", // no ages line
          "amp-manifest 1 1764600000\nn1\nages 0\nend 1\n", // no generation
          "amp-manifest 1 1764600000\nn\u00e9 1\nages 0\nend 1\n", // not ASCII
          "amp-manifest 1 1764600000\nn1 \u00e9\nages 0\nend 1\n",
          "amp-manifest 1 \nages\nend 0\n", // no as-of
          "amp-manifest 1 1764600000\nages\nend 0", // no last newline
          "amp-manifest 1 1764600000\nages\nend 00\n",
        }) {
      assertThat(Manifest.parse(bytes(text))).as(text).isEmpty();
    }
  }

  @Test
  void onlyTheSameNonEmptyGenerationIsTheSameFolder() {
    Folder a = new Folder(10, "1764599990123");
    assertThat(a.sameGeneration(new Folder(20, "1764599990123"))).isTrue();
    assertThat(a.sameGeneration(new Folder(10, "1764599990124"))).isFalse();
    assertThat(a.sameGeneration(null)).isFalse();
    assertThat(new Folder(10, "").sameGeneration(new Folder(10, ""))).isFalse();
    // a generation no manifest can carry (blank inside, the "none" mark) is none
    assertThat(new Folder(10, "a b").generation()).isEmpty();
    assertThat(new Folder(10, "-").generation()).isEmpty();
    assertThat(Folder.generationOf(bytes("1764599990123\n"))).isEqualTo("1764599990123");
    assertThat(new Folder(1, "1764599990123").alive()).isEqualTo(bytes("1764599990123\n"));
    assertThat(new Folder(1, "").alive()).isEmpty();
  }
}
