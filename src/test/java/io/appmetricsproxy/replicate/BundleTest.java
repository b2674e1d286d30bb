package io.appmetricsproxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmetricsproxy.store.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

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
    return new Manifest(f, true).format();
  }

  private static Bundle.Folder folder(String node, int entries) {
    List<Bundle.File> files = new java.util.ArrayList<>();
    for (int i = 0; i < entries; i++) {
      StringBuilder b = new StringBuilder();
      for (int line = 0; b.length() < 10_000; line++) {
        b.append("requests_total{node=\"").append(node).append("\",path=\"/").append(i);
        b.append('/').append(line).append("\"} ").append(line * 31 + i).append('\n');
      }
      byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
      files.add(new Bundle.File("c" + i + ".entry", new FileStat(bytes.length, NOW), bytes));
    }
    files.add(new Bundle.File("c9.entry", new FileStat(120, NOW - 60), null));
    return new Bundle.Folder(node, NOW, Long.toString(NOW * 1000), files);
  }

  @Test
  void anUploadSplitsIntoItsManifestAndItsFolders() {
    byte[] manifest = manifest(5, 0);
    byte[] upload = Bundle.upload(manifest, List.of(folder("n2", 2), folder("n3", 1)));

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
    send(session, Bundle.upload(first, List.of(folder("n2", 3), folder("n3", 2)))); // 50 KB
    int withHistory = send(session, next);

    SshZlib fresh = new SshZlib();
    fresh.init(com.jcraft.jsch.Compression.DEFLATER, 6);
    int alone = send(fresh, next);

    assertThat(withHistory).isLessThan(alone / 5);
  }

  /** Compressed bytes of {@code bytes} sent as SFTP writes of up to 32 KB, one packet each. */
  private static int send(SshZlib zlib, byte[] bytes) {
    int total = 0;
    for (int at = 0; at < bytes.length; at += 32_768) {
      int n = Math.min(32_768, bytes.length - at);
      byte[] packet = new byte[5 + n + 64];
      System.arraycopy(bytes, at, packet, 5, n);
      int[] end = {5 + n};
      zlib.compress(packet, 5, end);
      total += end[0] - 5;
    }
    return total;
  }
}
