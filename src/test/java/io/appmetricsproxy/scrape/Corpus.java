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

/**
 * The conformance corpus of ../shared/conformance: bodies with the verdict of Prometheus 2.42; a
 * missing corpus skips, or fails under CI=true.
 */
public record Corpus(List<Corpus.Case> cases) {

  /** The folder, relative to the project's root. */
  public static final Path FOLDER = Path.of("..", "shared", "conformance");

  /** One body, served with its Content-Type (null: none), and whether Prometheus 2.42 kept it. */
  public record Case(String id, String source, String contentType, boolean accepted, byte[] body) {}

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
