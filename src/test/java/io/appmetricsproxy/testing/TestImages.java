package io.appmetricsproxy.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test image amp-test-busybox:1 (static busybox, applet links, empty /www and /tmp), imported
 * once per engine.
 */
public final class TestImages {
  /**
   * Repository and tag of the busybox test image; bump the tag whenever its content changes
   * (present = reused).
   */
  public static final String BUSYBOX = "amp-test-busybox:1";

  /** The applets linked in /bin; run anything else as {@code busybox APPLET}. */
  public static final List<String> APPLETS =
      List.of(
          "sh",
          "ash",
          "httpd",
          "nc",
          "sleep",
          "cat",
          "echo",
          "printf",
          "mkdir",
          "ls",
          "rm",
          "cp",
          "env",
          "ps",
          "kill",
          "true",
          "false",
          "test",
          "[",
          "tr",
          "wc",
          "hostname",
          "id");

  private static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
  private static final Set<String> READY = ConcurrentHashMap.newKeySet();

  private TestImages() {}

  /**
   * Makes sure the engine has {@link #BUSYBOX} (imported from the host's static /bin/busybox) and
   * returns its name.
   */
  public static String busybox(TestEngine engine) {
    if (READY.contains(engine.dockerHost())) {
      return BUSYBOX;
    }
    synchronized (TestImages.class) {
      DockerClient docker = engine.client();
      try {
        docker.inspectImageCmd(BUSYBOX).exec();
      } catch (NotFoundException missing) {
        long started = System.nanoTime();
        importTar(engine, busyboxTar(), BUSYBOX);
        docker.inspectImageCmd(BUSYBOX).exec(); // fails loudly if the import did not tag it
        System.err.printf(
            "[test-engine] imported %s in %d ms%n",
            BUSYBOX, (System.nanoTime() - started) / 1_000_000);
      }
      READY.add(engine.dockerHost());
      return BUSYBOX;
    }
  }

  /** {@code docker import} of a tar as {@code image} ("repo:tag") through the raw transport. */
  static void importTar(TestEngine engine, InputStream tar, String image) {
    // not createImageCmd(repo, stream): docker-java 3.7.1 posts the stream as JSON ("{}"), and the
    // engine answers
    // 500 "Error processing tar file: unexpected EOF" (docker-java issue #2377)
    int colon = image.lastIndexOf(':');
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.POST)
            .path(
                "/images/create?fromSrc=-&repo="
                    + image.substring(0, colon)
                    + "&tag="
                    + image.substring(colon + 1))
            .putHeader("Content-Type", "application/x-tar")
            .body(tar)
            .build();
    try (DockerHttpClient.Response response = engine.http().execute(request)) {
      String answer = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
      if (response.getStatusCode() != 200 || answer.contains("\"error")) {
        throw new IllegalStateException(
            "import of " + image + " failed: HTTP " + response.getStatusCode() + " " + answer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("import of " + image + " failed", e);
    }
  }

  private static InputStream busyboxTar() {
    try {
      Tar tar = new Tar().file("bin/busybox", Files.readAllBytes(HOST_BUSYBOX), 0755);
      APPLETS.forEach(applet -> tar.link("bin/" + applet, "busybox"));
      return tar.dir("www", 0755).dir("tmp", 01777).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(
          HOST_BUSYBOX + " unreadable: install the Debian package busybox-static", e);
    }
  }
}
