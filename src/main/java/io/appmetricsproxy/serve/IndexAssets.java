package io.appmetricsproxy.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The index page's inline style and sort script, the only things it loads: the files of
 * src/main/webapp/WEB-INF/index, which the build packages as resources of this package.
 *
 * <p>The style lets wide tables scroll in their own box, so that a phone never scrolls the page
 * sideways. The script sorts a {@code table.sortable} by the clicked header, ascending then
 * descending: numbers by a cell's {@code data-sort} (empty sorts last), text otherwise.
 */
final class IndexAssets {
  static final String STYLE = read("index.css");
  static final String SCRIPT = read("index.js");

  private IndexAssets() {}

  private static String read(String name) {
    try (InputStream in = IndexAssets.class.getResourceAsStream("index/" + name)) {
      if (in == null) {
        throw new IllegalStateException("index/" + name + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
