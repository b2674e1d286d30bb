package io.appmetricsproxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmetricsproxy.store.FolderMap.Pair;
import io.appmetricsproxy.store.Manifest.Folder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;

class FolderMapTest {
  private static Folder folder(int i) {
    return new Folder(1_764_600_000L + i, "1764599" + (100_000 + i) + "12");
  }

  /** Random folders of up to 300 nodes, in a tree map: what a FolderMap must equal. */
  private static TreeMap<String, Folder> random(Random r) {
    TreeMap<String, Folder> m = new TreeMap<>();
    int n = r.nextInt(300);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(400);
      m.put("n" + k, folder(k));
    }
    return m;
  }

  @Test
  void holdsWhatAnyMapOfTheSameFoldersHoldsInTheOrderOfTheNodeNames() {
    Random r = new Random(7);
    for (int run = 0; run < 200; run++) {
      TreeMap<String, Folder> expected = random(r);
      for (Map<String, Folder> from :
          List.of(expected, new HashMap<>(expected), new ConcurrentSkipListMap<>(expected))) {
        FolderMap f = FolderMap.of(from);

        assertThat(f).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(f);
        assertThat(new ArrayList<>(f.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        List<String> visited = new ArrayList<>();
        f.forEach((node, folder) -> visited.add(node));
        assertThat(visited).isEqualTo(new ArrayList<>(expected.keySet()));
        for (int k = 0; k < 400; k++) {
          assertThat(f.get("n" + k)).isEqualTo(expected.get("n" + k));
          assertThat(f.containsKey("n" + k)).isEqualTo(expected.containsKey("n" + k));
        }
        assertThat(f.get(7)).isNull();
        assertThat(FolderMap.of(f)).isSameAs(f);
      }
    }
  }

  @Test
  void aJoinVisitsEveryNodeOfEitherSideOnceInOrderWithBothSidesFolders() {
    Random r = new Random(11);
    for (int run = 0; run < 200; run++) {
      TreeMap<String, Folder> left = random(r);
      TreeMap<String, Folder> right = random(r);
      TreeSet<String> nodes = new TreeSet<>(left.keySet());
      nodes.addAll(right.keySet());
      List<Pair> expected = new ArrayList<>();
      for (String n : nodes) {
        expected.add(new Pair(n, left.get(n), right.get(n)));
      }

      List<Pair> joined = new ArrayList<>();
      FolderMap.join(FolderMap.of(left), FolderMap.of(right)).forEach(joined::add);

      assertThat(joined).isEqualTo(expected);
    }
  }

  @Test
  void aBuilderTakesNodesInOrderOnlyAndEachOnce() {
    FolderMap.Builder b = new FolderMap.Builder(0).add("n1", folder(1)).add("n10", folder(10));

    assertThatThrownBy(() -> b.add("n10", folder(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("folder n10 added after n10: not in order");
    assertThatThrownBy(() -> b.add("n0", folder(0)))
        .hasMessage("folder n0 added after n10: not in order");
    for (int i = 2; i <= 9; i++) {
      b.add("n" + i, folder(i)); // past the room it was made with
    }
    assertThat(b.build().keySet())
        .containsExactly("n1", "n10", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9");
    assertThat(new FolderMap.Builder(3).build()).isEmpty();
  }

  @Test
  void pairsInAnyOrderAreSortedAndANodeTwiceIsNone() {
    String[] nodes = {"n3", "n1", "n2"};
    Folder[] folders = {folder(3), folder(1), folder(2)};

    assertThat(FolderMap.ofPairs(nodes, folders))
        .hasValueSatisfying(
            f ->
                assertThat(f)
                    .containsExactly(
                        Map.entry("n1", folder(1)),
                        Map.entry("n2", folder(2)),
                        Map.entry("n3", folder(3))));
    assertThat(
            FolderMap.ofPairs(
                new String[] {"n2", "n1", "n2"}, new Folder[] {folder(2), folder(1), folder(2)}))
        .isEmpty();
    assertThat(FolderMap.ofPairs(new String[] {"n1", "n1"}, new Folder[] {folder(1), folder(1)}))
        .isEmpty();
  }
}
