package io.appmetricsproxy.exposition;

import static io.appmetricsproxy.exposition.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** A payload keeps only the gzip form and gives back exactly the bytes it was made of. */
class PayloadTest {
  private static final byte[] BODY = body(2_000);

  @Test
  void givesBackThePlainBytesEveryWay() throws Exception {
    Payload p = Payload.of(BODY, Format.TEXT);

    assertThat(p.size()).isEqualTo(BODY.length);
    assertThat(p.toByteArray()).isEqualTo(BODY);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    p.writeTo(written);
    assertThat(written.toByteArray()).isEqualTo(BODY);
    try (var in = p.open()) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
    try (var in = new GZIPInputStream(new ByteArrayInputStream(p.gzip()))) {
      assertThat(in.readAllBytes()).as("the gzip form any client inflates").isEqualTo(BODY);
    }
    assertThat(p.parse().sampleCount()).isEqualTo(2_000);
  }

  @Test
  void keepsOnlyTheCompressedForm() {
    Payload p = Payload.of(BODY, Format.TEXT);

    assertThat(p.gzip().length).isLessThan(BODY.length / 5);
  }

  @Test
  void isACopyOfTheArrayItWasMadeOf() {
    byte[] bytes = BODY.clone();
    Payload p = Payload.of(bytes, Format.TEXT);
    bytes[0] = 'X';

    assertThat(p.toByteArray()).isEqualTo(BODY);
  }

  @Test
  void takesAPartOfAnArray() {
    byte[] framed = utf8("header\n\n" + new String(BODY, java.nio.charset.StandardCharsets.UTF_8));

    Payload p = Payload.of(framed, 8, BODY.length, Format.TEXT);

    assertThat(p).isEqualTo(Payload.of(BODY, Format.TEXT));
    assertThat(p.toByteArray()).isEqualTo(BODY);
  }

  @Test
  void equalByFormatAndContent() {
    Payload a = Payload.of(BODY, Format.TEXT);
    Payload same = Payload.of(BODY.clone(), Format.TEXT);
    byte[] changed = BODY.clone();
    changed[changed.length - 2] = '9';

    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a.digest()).isEqualTo(same.digest()).hasSize(32);
    assertThat(a).isNotEqualTo(Payload.of(changed, Format.TEXT));
    assertThat(a.digest()).isNotEqualTo(Payload.of(changed, Format.TEXT).digest());
    assertThat(a).isNotEqualTo(Payload.of(BODY, Format.OPENMETRICS));
  }

  private static byte[] body(int samples) {
    StringBuilder b = new StringBuilder("# TYPE hits_total counter\n");
    for (int i = 0; i < samples; i++) {
      b.append("hits_total{path=\"/api/").append(i).append("\"} ").append(i * 7).append('\n');
    }
    return utf8(b.toString());
  }
}
