package io.appmetricsproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The exposition conformance corpus: bodies with the verdict of the real Prometheus 2.42 and the
 * Content-Type they are served with. The shared one ({@code ../shared/conformance}, from public
 * parser test suites; never copied into the project) and the project's own nasty cases in the test
 * resources ({@code conformance/}), both laid out as the shared one's README says.
 */
public final class ConformanceCorpus {
  /** The shared corpus, relative to the project's root (there in CI too). */
  public static final Path SHARED = Path.of("..", "shared", "conformance");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One body and what Prometheus 2.42 did with it.
   *
   * @param contentType empty: served without a Content-Type header
   * @param prometheusError the scrape error of a rejected body, empty for an accepted one
   */
  public record Case(
      String id,
      String source,
      Optional<String> contentType,
      boolean accepted,
      String prometheusError,
      byte[] body) {
    public Case {
      Objects.requireNonNull(id);
      Objects.requireNonNull(source);
      Objects.requireNonNull(contentType);
      Objects.requireNonNull(prometheusError);
      Objects.requireNonNull(body);
    }
  }

  private ConformanceCorpus() {}

  /**
   * The shared corpus and the own cases; without the shared one the test is skipped, unless
   * CI=true, where it fails.
   */
  public static List<Case> load() throws IOException {
    Prerequisite.require(
        Files.isRegularFile(SHARED.resolve("cases.json")),
        "the conformance corpus is not at " + SHARED.toAbsolutePath().normalize());
    List<Case> cases = new ArrayList<>(read(SHARED));
    cases.addAll(read(own()));
    return List.copyOf(cases);
  }

  /** The folder of the project's own cases, in the test classpath. */
  static Path own() {
    try {
      return Path.of(
              Objects.requireNonNull(
                      ConformanceCorpus.class.getResource("/conformance/cases.json"),
                      "conformance/cases.json in the test resources")
                  .toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cases of the corpus in {@code dir}: its cases.json and bodies/. */
  public static List<Case> read(Path dir) throws IOException {
    JsonNode root = JSON.readTree(dir.resolve("cases.json").toFile());
    List<Case> cases = new ArrayList<>();
    for (JsonNode c : root.path("cases")) {
      String id = c.path("id").asText();
      String verdict = c.path("prometheus_2_42").asText();
      if (!verdict.equals("accept") && !verdict.equals("reject")) {
        throw new IOException(dir + ": case " + id + " has prometheus_2_42 \"" + verdict + "\"");
      }
      JsonNode type = c.path("content_type");
      cases.add(
          new Case(
              id,
              c.path("source").asText(),
              type.isTextual() ? Optional.of(type.asText()) : Optional.empty(),
              verdict.equals("accept"),
              c.path("prometheus_error").asText(""),
              Files.readAllBytes(dir.resolve("bodies").resolve(id))));
    }
    return cases;
  }
}
