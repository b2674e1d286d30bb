package io.appmetricsproxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The names and generations a store folder and a manifest may hold are checked by hand, once per
 * folder of every manifest read: they must accept exactly what their patterns describe.
 */
class LayoutTest {
  /** Every kind of character at the patterns' edges, and a few beyond ASCII. */
  private static final String CHARS = "aZz09_.-/ !~\u007f\u0000\u00e9\u0430\\:AM";

  private static List<String> upToThree() {
    List<String> all = new ArrayList<>(List.of(""));
    for (int len = 1; len <= 3; len++) {
      List<String> next = new ArrayList<>();
      for (String s : all) {
        if (s.length() == len - 1) {
          for (char c : CHARS.toCharArray()) {
            next.add(s + c);
          }
        }
      }
      all.addAll(next);
    }
    return all;
  }

  private static List<String> random(int count, int maxLength) {
    Random r = new Random(7);
    List<String> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder();
      int len = r.nextInt(maxLength + 1);
      for (int j = 0; j < len; j++) {
        b.append(
            r.nextInt(8) == 0 ? (char) r.nextInt(0x500) : CHARS.charAt(r.nextInt(CHARS.length())));
      }
      all.add(b.toString());
    }
    return all;
  }

  @Test
  void aNameIsValidExactlyWhereItMatchesTheNamePattern() {
    Pattern name = Pattern.compile(Layout.NAME);
    List<String> names = upToThree();
    names.addAll(random(20_000, 12));
    names.addAll(List.of("..", ".", "-x", "_x", "n1", "node-1.example_2", "x".repeat(300)));
    for (String n : names) {
      assertThat(Layout.valid(n)).as("\"%s\"", n).isEqualTo(name.matcher(n).matches());
    }
    assertThat(Layout.valid(null)).isFalse();
  }

  @Test
  void aGenerationIsValidExactlyWhereItIsOneTo64PrintableCharactersWithoutSpace() {
    Pattern generation = Pattern.compile("[!-~]{1,64}");
    List<String> generations = upToThree();
    generations.addAll(random(20_000, 70));
    generations.addAll(List.of("1764590400123", "x".repeat(64), "x".repeat(65), "1 2"));
    for (String g : generations) {
      assertThat(Manifest.validGeneration(g))
          .as("\"%s\"", g)
          .isEqualTo(generation.matcher(g).matches());
    }
  }
}
