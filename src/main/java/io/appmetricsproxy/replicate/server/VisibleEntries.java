package io.appmetricsproxy.replicate.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/** A folder listing that shows clients only the layout's own names. */
final class VisibleEntries implements DirectoryStream<Path> {
  private final DirectoryStream<Path> all;
  private final Predicate<Path> visible;

  VisibleEntries(DirectoryStream<Path> all, Predicate<Path> visible) {
    this.all = all;
    this.visible = visible;
  }

  @Override
  public Iterator<Path> iterator() {
    Iterator<Path> it = all.iterator();
    return new Iterator<>() {
      private Path next;

      @Override
      public boolean hasNext() {
        while (next == null && it.hasNext()) {
          Path p = it.next();
          if (visible.test(p)) {
            next = p;
          }
        }
        return next != null;
      }

      @Override
      public Path next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Path p = next;
        next = null;
        return p;
      }
    };
  }

  @Override
  public void close() throws IOException {
    all.close();
  }
}
