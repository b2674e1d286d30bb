package io.appmetricsproxy.store;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * A manifest's folders by node, in the order of the node names, immutable: two arrays, so that a
 * manifest of N folders is read, copied and compared with another in N steps. A tree map takes N
 * log N for each of these, with a string comparison per step: at 200 nodes that was a third of a
 * manager's exchange, twice per peer and round.
 */
public final class FolderMap extends AbstractMap<String, Manifest.Folder> {
  private static final FolderMap EMPTY = new FolderMap(new String[0], new Manifest.Folder[0]);

  private final String[] nodes;
  private final Manifest.Folder[] folders;

  private FolderMap(String[] nodes, Manifest.Folder[] folders) {
    this.nodes = nodes;
    this.folders = folders;
  }

  /**
   * The folders of {@code map}: itself when it is one; copied in its order when it is sorted by
   * node name (a {@link SortedMap} in natural order); else sorted.
   */
  public static FolderMap of(Map<String, Manifest.Folder> map) {
    if (map instanceof FolderMap f) {
      return f;
    }
    if (map.isEmpty()) {
      return EMPTY;
    }
    Builder b = new Builder(map.size());
    if (map instanceof SortedMap<String, Manifest.Folder> s && s.comparator() == null) {
      s.forEach(b::add);
      return b.build();
    }
    String[] names = map.keySet().toArray(new String[0]);
    Arrays.sort(names);
    for (String n : names) {
      b.add(n, map.get(n));
    }
    return b.build();
  }

  /**
   * The folders of {@code nodes[i]}, {@code folders[i]}, in any order; empty when a node comes
   * twice. Takes both arrays: the caller no longer uses them.
   */
  static Optional<FolderMap> ofPairs(String[] nodes, Manifest.Folder[] folders) {
    int n = nodes.length;
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = nodes[i - 1].compareTo(nodes[i]) < 0;
    }
    if (!sorted) {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> nodes[a].compareTo(nodes[b]));
      String[] sortedNodes = new String[n];
      Manifest.Folder[] sortedFolders = new Manifest.Folder[n];
      for (int i = 0; i < n; i++) {
        sortedNodes[i] = nodes[order[i]];
        sortedFolders[i] = folders[order[i]];
        if (i > 0 && sortedNodes[i - 1].equals(sortedNodes[i])) {
          return Optional.empty();
        }
      }
      return Optional.of(new FolderMap(sortedNodes, sortedFolders));
    }
    return Optional.of(new FolderMap(nodes, folders));
  }

  /** Adds folders in the order of their node names, each once. */
  public static final class Builder {
    private String[] nodes;
    private Manifest.Folder[] folders;
    private int size;

    public Builder(int expected) {
      nodes = new String[Math.max(expected, 4)];
      folders = new Manifest.Folder[nodes.length];
    }

    /**
     * @throws IllegalArgumentException when {@code node} does not come after the one added before
     */
    public Builder add(String node, Manifest.Folder folder) {
      Objects.requireNonNull(folder, "folder");
      if (size > 0 && nodes[size - 1].compareTo(node) >= 0) {
        throw new IllegalArgumentException(
            "folder " + node + " added after " + nodes[size - 1] + ": not in order");
      }
      if (size == nodes.length) {
        nodes = Arrays.copyOf(nodes, size * 2);
        folders = Arrays.copyOf(folders, size * 2);
      }
      nodes[size] = node;
      folders[size] = folder;
      size++;
      return this;
    }

    public FolderMap build() {
      return size == 0
          ? EMPTY
          : new FolderMap(Arrays.copyOf(nodes, size), Arrays.copyOf(folders, size));
    }
  }

  /** One node of {@link #join}: its folder on either side, null where that side lacks it. */
  public record Pair(String node, Manifest.Folder left, Manifest.Folder right) {}

  /** Every node either side holds, in order, with both sides' folders: N + M steps. */
  public static Iterable<Pair> join(FolderMap left, FolderMap right) {
    return () ->
        new Iterator<>() {
          private int i;
          private int j;

          @Override
          public boolean hasNext() {
            return i < left.nodes.length || j < right.nodes.length;
          }

          @Override
          public Pair next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int c =
                i == left.nodes.length
                    ? 1
                    : j == right.nodes.length ? -1 : left.nodes[i].compareTo(right.nodes[j]);
            if (c < 0) {
              Pair p = new Pair(left.nodes[i], left.folders[i], null);
              i++;
              return p;
            }
            if (c > 0) {
              Pair p = new Pair(right.nodes[j], null, right.folders[j]);
              j++;
              return p;
            }
            Pair p = new Pair(left.nodes[i], left.folders[i], right.folders[j]);
            i++;
            j++;
            return p;
          }
        };
  }

  @Override
  public Manifest.Folder get(Object node) {
    if (!(node instanceof String s)) {
      return null;
    }
    int i = Arrays.binarySearch(nodes, s);
    return i < 0 ? null : folders[i];
  }

  @Override
  public boolean containsKey(Object node) {
    return get(node) != null;
  }

  @Override
  public int size() {
    return nodes.length;
  }

  @Override
  public boolean isEmpty() {
    return nodes.length == 0;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Manifest.Folder> action) {
    for (int i = 0; i < nodes.length; i++) {
      action.accept(nodes[i], folders[i]);
    }
  }

  @Override
  public Set<Map.Entry<String, Manifest.Folder>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Manifest.Folder>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < nodes.length;
          }

          @Override
          public Map.Entry<String, Manifest.Folder> next() {
            if (i >= nodes.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Manifest.Folder> e = Map.entry(nodes[i], folders[i]);
            i++;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return nodes.length;
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof FolderMap f) {
      return Arrays.equals(nodes, f.nodes) && Arrays.equals(folders, f.folders);
    }
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode(); // the Map contract's: equal to any equal map's
  }
}
