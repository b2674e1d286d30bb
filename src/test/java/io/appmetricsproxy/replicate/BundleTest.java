package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.exposition.Payload;
import io.appmetricsproxy.store.EntryFile;
import io.appmetricsproxy.store.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleTest {
  private static final long NOW = 1_780_000_000L;

  /** A manifest of {@code folders} node folders, every one confirmed {@code later} s later. */
  private static byte[] manifest(int folders, long later) {
    Random random = new Random(7);
    Map<String, Manifest.Folder> f = new TreeMap<>();
    for (int i = 1; i <= folders; i++) {
      long confirmed = NOW - random.nextInt(10);
      f.put(
          "n" + i,
          new Manifest.Folder(
              confirmed + later, Long.toString(confirmed * 1000 + random.nextInt(1000))));
    }
    return new Manifest(f, Manifest.Takes.GZIPPED_FOLDERS).format();
  }

  private static Bundle.Folder folder(String node, int entries) {
    List<Bundle.File> files = new java.util.ArrayList<>();
    for (int i = 0; i < entries; i++) {
      StringBuilder b = new StringBuilder("app-metrics-proxy-entry 1\nnode: " + node + "\n\n");
      for (int line = 0; b.length() < 10_000; line++) {
        b.append("requests_total{node=\"").append(node).append("\",path=\"/").append(i);
        b.append('/').append(line).append("\"} ").append(line * 31 + i).append('\n');
      }
      byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
      files.add(Bundle.File.of("c" + i + ".entry", new FileStat(bytes.length, NOW), bytes));
    }
    files.add(Bundle.File.of("c9.entry", new FileStat(120, NOW - 60), null));
    return new Bundle.Folder(node, NOW, Long.toString(NOW * 1000), files);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anUploadSplitsIntoItsManifestAndItsFolders(boolean gzipped) {
    byte[] manifest = manifest(5, 0);
    byte[] upload = Bundle.upload(manifest, List.of(folder("n2", 2), folder("n3", 1)), gzipped);

    Bundle.Upload split = Bundle.split(upload);

    assertThat(split.manifest()).isEqualTo(manifest);
    assertThat(split.folders().folders())
        .extracting(Bundle.Folder::node)
        .containsExactly("n2", "n3");
    Bundle.Folder n2 = split.folders().folders().get(0);
    assertThat(n2.files())
        .extracting(Bundle.File::name)
        .containsExactly("c0.entry", "c1.entry", "c9.entry");
    assertThat(split.folders().read("n2", "c1.entry", 1 << 20))
        .isEqualTo(folder("n2", 2).files().get(1).bytes());
    assertThat(n2.files().get(2).bytes()).isNull();
    assertThat(Bundle.split(manifest).folders().folders()).isEmpty(); // a plain manifest
  }

  /** Gzipped, entries of 10 KB of repetitive lines go in a fifth of their bytes or less. */
  @Test
  void aGzippedUploadCarriesEachEntrysHeaderAsItIsAndItsExpositionGzipped() {
    byte[] manifest = manifest(5, 0);
    List<Bundle.Folder> folders = List.of(folder("n2", 3));
    byte[] plain = Bundle.upload(manifest, folders, false);
    byte[] gzipped = Bundle.upload(manifest, folders, true);

    String text = new String(gzipped, StandardCharsets.ISO_8859_1);
    assertThat(text)
        .contains("\napp-metrics-proxy-entry 1\nnode: n2\n\n")
        .doesNotContain("requests_total");
    assertThat(gzipped.length - manifest.length).isLessThan((plain.length - manifest.length) / 5);
    // a file without a blank line goes as it is, in a gzipped upload too
    byte[] odd = "no header here\n".getBytes(StandardCharsets.UTF_8);
    Bundle.Folder mixed =
        new Bundle.Folder(
            "n4", NOW, "-", List.of(Bundle.File.of("x.entry", new FileStat(odd.length, NOW), odd)));
    Bundle.Upload split = Bundle.split(Bundle.upload(manifest, List.of(mixed), true));
    assertThat(split.folders().read("n4", "x.entry", 1 << 20)).isEqualTo(odd);
  }

  /** Each way a gzipped entry can be torn: the whole upload is refused. */
  @Test
  void aGzippedEntryThatIsNotWholeIsRefusedAsTorn() {
    byte[] manifest = manifest(3, 0);
    Bundle.Folder folder = folder("n2", 1);
    Bundle.File file = folder.files().get(0);
    Bundle.Gzipped gz = file.gzipped();
    byte[] corrupt = gz.gzip().clone();
    corrupt[corrupt.length / 2] ^= 0x55; // a deflate block or the CRC no longer matches
    byte[] shorter = file.bytes().clone();
    shorter[shorter.length - 1] = 0;
    Bundle.Gzipped otherLength =
        Bundle.Gzipped.of(java.util.Arrays.copyOf(file.bytes(), file.bytes().length - 5));
    for (Bundle.Gzipped bad :
        List.of(
            new Bundle.Gzipped(gz.header(), corrupt),
            otherLength, // inflates to 5 bytes fewer than its size
            new Bundle.Gzipped(gz.header() + 1, gz.gzip()), // the header one byte too long
            new Bundle.Gzipped(gz.header(), java.util.Arrays.copyOf(gz.gzip(), 20)))) {
      Bundle.Folder torn =
          new Bundle.Folder(
              "n2",
              folder.confirmed(),
              folder.generation(),
              List.of(new Bundle.File(file.name(), file.stat(), file.bytes(), bad)));
      byte[] upload = Bundle.upload(manifest, List.of(torn), true);
      assertThatThrownBy(() -> Bundle.split(upload))
          .as("%s", bad)
          .isInstanceOf(ReplicationException.class)
          .hasMessageContaining("torn");
    }
  }

  /**
   * A gzipped entry comes out of the upload with its gzip as it was sent, which is the one a
   * payload of its exposition makes: the peer keeps it rather than gzip the exposition again.
   */
  @Test
  void aGzippedEntryKeepsTheGzipItCameWith() {
    Bundle.Folder folder = folder("n2", 2);
    Bundle.Upload split = Bundle.split(Bundle.upload(manifest(3, 0), List.of(folder), true));
    for (Bundle.File sent : folder.files().subList(0, 2)) {
      byte[] entry = split.folders().read("n2", sent.name(), 1 << 20);
      int header = EntryFile.headerLength(entry);
      assertThat(split.folders().gzipped("n2", sent.name()))
          .hasValueSatisfying(
              gzip ->
                  assertThat(gzip)
                      .isEqualTo(sent.gzipped().gzip())
                      .isEqualTo(Payload.gzip(entry, header, entry.length - header)));
    }
    assertThat(split.folders().gzipped("n2", "c9.entry")).isEmpty(); // not sent
    Bundle.Upload plain = Bundle.split(Bundle.upload(manifest(3, 0), List.of(folder), false));
    assertThat(plain.folders().gzipped("n2", "c0.entry")).isEmpty();
  }

  /**
   * A gzip that inflates to the entry but is not one plain member, as a payload keeps it, is
   * refused too: header fields, a second member, bytes after its trailer, a trailer that does not
   * match.
   */
  @Test
  void aGzipThatIsNotOnePlainMemberIsRefused() throws Exception {
    Bundle.Folder folder = folder("n2", 1);
    Bundle.File file = folder.files().get(0);
    Bundle.Gzipped gz = file.gzipped();
    byte[] exposition =
        java.util.Arrays.copyOfRange(file.bytes(), gz.header(), file.bytes().length);
    byte[] named = gzipNamed(exposition); // FLG.FNAME set, a name after the header
    byte[] half = Payload.gzip(exposition, 0, exposition.length / 2);
    byte[] rest =
        Payload.gzip(exposition, exposition.length / 2, exposition.length - exposition.length / 2);
    byte[] twoMembers = concat(half, rest); // inflates to the same bytes, as GZIPInputStream reads
    byte[] trailing = concat(gz.gzip(), new byte[] {0, 0, 0, 0});
    byte[] crc = gz.gzip().clone();
    crc[crc.length - 8] ^= 1;
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(twoMembers))) {
      assertThat(in.readAllBytes()).isEqualTo(exposition); // a valid gzip stream all the same
    }
    for (byte[] bad : List.of(named, twoMembers, trailing, crc)) {
      Bundle.Folder odd =
          new Bundle.Folder(
              "n2",
              folder.confirmed(),
              folder.generation(),
              List.of(
                  new Bundle.File(
                      file.name(),
                      file.stat(),
                      file.bytes(),
                      new Bundle.Gzipped(gz.header(), bad))));
      byte[] upload = Bundle.upload(manifest(3, 0), List.of(odd), true);
      assertThatThrownBy(() -> Bundle.split(upload))
          .isInstanceOf(ReplicationException.class)
          .hasMessageContaining("torn");
    }
  }

  private static byte[] gzipNamed(byte[] plain) {
    byte[] gzip = Payload.gzip(plain, 0, plain.length);
    byte[] name = "entry\0".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[gzip.length + name.length];
    System.arraycopy(gzip, 0, out, 0, 10);
    out[3] = 8; // FLG.FNAME
    System.arraycopy(name, 0, out, 10, name.length);
    System.arraycopy(gzip, 10, out, 10 + name.length, gzip.length - 10);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Entries that inflate past what an upload takes in all are refused before they are inflated. */
  @Test
  void gzippedEntriesThatInflatePastWhatAnUploadTakesAreRefused() {
    byte[] zeros = new byte[(int) (Manifest.MAX_UPLOAD / 2) + 1];
    zeros[0] = '\n';
    zeros[1] = '\n';
    List<Bundle.File> files = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      files.add(Bundle.File.of("z" + i + ".entry", new FileStat(zeros.length, NOW), zeros));
    }
    byte[] upload =
        Bundle.upload(manifest(3, 0), List.of(new Bundle.Folder("n2", NOW, "-", files)), true);
    assertThat(upload.length).isLessThan(1 << 20); // zeros gzip to next to nothing

    assertThatThrownBy(() -> Bundle.split(upload))
        .isInstanceOf(ReplicationException.class)
        .hasMessageContaining("inflate past");
  }

  /**
   * The session's compression sends an unchanged manifest as little more than its header only where
   * the one before is within zlib's window (32 KB back); the entries an upload carries come before
   * its manifest, so however many they were the next manifest still finds the one before.
   */
  @Test
  void theNextManifestFindsTheOneBeforeHoweverManyEntriesCameWithIt() {
    SshZlib session = new SshZlib();
    session.init(com.jcraft.jsch.Compression.DEFLATER, 6);
    byte[] first = manifest(200, 0);
    byte[] next = manifest(200, 10); // every folder confirmed once more: the header changes
    SessionWrites.send(
        session,
        Bundle.upload(first, List.of(folder("n2", 3), folder("n3", 2)), false),
        null); // 50 KB
    int withHistory = SessionWrites.send(session, next, null);

    SshZlib fresh = new SshZlib();
    fresh.init(com.jcraft.jsch.Compression.DEFLATER, 6);
    int alone = SessionWrites.send(fresh, next, null);

    assertThat(withHistory).isLessThan(alone / 5);
  }
}
