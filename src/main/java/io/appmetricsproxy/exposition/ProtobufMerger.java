package io.appmetricsproxy.exposition;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Merges protobuf scrapes of several replicas into one delimited body, byte for byte but for the
 * source labels appended to each metric's (as {@link ExpositionMerger} names them: proxy_NAME where
 * the metric has NAME already); native histograms, exemplars and created timestamps pass as they
 * came. Each source's messages stay whole and in order: Prometheus reads a name given in several
 * messages as one family.
 */
public final class ProtobufMerger {
  private static final int LABEL_KEY = (1 << 3) | ProtoWire.LEN;
  private static final int METRIC = 4;
  private static final String PREFIX = "proxy_";

  /** One checked protobuf payload and the labels to add to each of its metrics. */
  public record Source(List<Label> labels, Payload payload) {
    public Source {
      labels = List.copyOf(labels);
      if (Objects.requireNonNull(payload, "payload").format() != Format.PROTOBUF) {
        throw new IllegalArgumentException("not a protobuf payload: " + payload);
      }
    }
  }

  private ProtobufMerger() {}

  /** The delimited body of every source's messages in turn, each metric labelled. */
  public static byte[] merge(List<Source> sources) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Source source : sources) {
      byte[] body = source.payload().toByteArray();
      int pos = 0;
      while (pos < body.length) {
        ProtoWire length = new ProtoWire(body, pos, body.length);
        ProtoWire family = length.message();
        pos = family.limit();
        writeMessage(out, family(body, family, source.labels()));
      }
    }
    return out.toByteArray();
  }

  private static byte[] family(byte[] body, ProtoWire in, List<Label> labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.limit() - in.position() + 64);
    while (in.more()) {
      int start = in.position();
      long key = in.tag("MetricFamily");
      if (ProtoWire.field(key) == METRIC && ProtoWire.wireType(key) == ProtoWire.LEN) {
        ProtoWire metric = in.message();
        varint(out, key);
        writeMessage(out, metric(body, metric, labels));
      } else {
        in.skip(key);
        out.write(body, start, in.position() - start);
      }
    }
    return out.toByteArray();
  }

  /** The metric's bytes with a LabelPair field appended for each source label. */
  private static byte[] metric(byte[] body, ProtoWire in, List<Label> labels) {
    int from = in.position();
    int to = in.limit();
    Set<String> names = new HashSet<>();
    while (in.more()) {
      long key = in.tag("Metric");
      if (ProtoWire.field(key) == 1 && ProtoWire.wireType(key) == ProtoWire.LEN) {
        ProtoWire pair = in.message();
        while (pair.more()) {
          long k = pair.tag("LabelPair");
          if (ProtoWire.field(k) == 1 && ProtoWire.wireType(k) == ProtoWire.LEN) {
            String name = pair.string();
            names.add(name == null ? "" : name);
          } else {
            pair.skip(k);
          }
        }
      } else {
        in.skip(key);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + 32 * labels.size());
    out.write(body, from, to - from);
    for (Label label : labels) {
      String name =
          ExpositionMerger.RESERVED.contains(label.name()) ? PREFIX + label.name() : label.name();
      while (names.contains(name)) {
        name = PREFIX + name;
      }
      names.add(name);
      ByteArrayOutputStream pair = new ByteArrayOutputStream();
      string(pair, 1, name);
      string(pair, 2, label.value());
      varint(out, LABEL_KEY);
      writeMessage(out, pair.toByteArray());
    }
    return out.toByteArray();
  }

  private static void string(ByteArrayOutputStream out, int field, String value) {
    varint(out, (field << 3) | ProtoWire.LEN);
    writeMessage(out, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeMessage(ByteArrayOutputStream out, byte[] message) {
    varint(out, message.length);
    out.write(message, 0, message.length);
  }

  static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
