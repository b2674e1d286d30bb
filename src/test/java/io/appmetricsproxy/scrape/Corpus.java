package io.appmetricsproxy.scrape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmetricsproxy.testing.Prerequisite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The conformance corpus of ../shared/conformance: bodies with the verdict of Prometheus 2.42; a
 * missing corpus skips, or fails under CI=true.
 */
public record Corpus(List<Corpus.Case> cases) {

  /** The folder, relative to the project's root. */
  public static final Path FOLDER = Path.of("..", "shared", "conformance");

  /** One body, served with its Content-Type (null: none), and whether Prometheus 2.42 kept it. */
  public record Case(String id, String source, String contentType, boolean accepted, byte[] body) {}

  /**
   * Bodies 2.42 refuses and the current Prometheus keeps, where the proxy follows the current one:
   * since 2.43 an exemplar may follow any sample (2.42 allowed one only after a name ending in
   * _total or _bucket). Served as they came, a 2.42 refuses them through the proxy as it refuses
   * them from the container.
   */
  public static final Set<String> MORE_LENIENT_NOW =
      Set.of(
          "om-bad_exemplars_on_unallowed_metric_types_0",
          "om-bad_exemplars_on_unallowed_metric_types_1",
          "om-bad_exemplars_on_unallowed_metric_types_2",
          "om-bad_exemplars_on_unallowed_samples_0",
          "om-bad_exemplars_on_unallowed_samples_1",
          "om-bad_exemplars_on_unallowed_samples_3",
          "phead-om-openmetricsparse-00");

  public static Corpus load() {
    Path index = FOLDER.resolve("cases.json");
    Prerequisite.require(
        Files.isRegularFile(index), "the conformance corpus " + index.toAbsolutePath());
    try {
      List<Case> cases = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(index.toFile()).get("cases")) {
        String id = c.get("id").asText();
        JsonNode type = c.get("content_type");
        cases.add(
            new Case(
                id,
                c.get("source").asText(),
                type == null || type.isNull() ? null : type.asText(),
                c.get("prometheus_2_42").asText().equals("accept"),
                Files.readAllBytes(FOLDER.resolve("bodies").resolve(id))));
      }
      return new Corpus(List.copyOf(cases));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
