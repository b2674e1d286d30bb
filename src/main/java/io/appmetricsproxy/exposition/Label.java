package io.appmetricsproxy.exposition;

import java.util.Objects;

/** One label of a sample: a name and its unescaped value. */
public record Label(String name, String value) {

  public Label {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!Names.isLabelName(name)) {
      throw new IllegalArgumentException("invalid label name \"" + name + "\"");
    }
  }
}
