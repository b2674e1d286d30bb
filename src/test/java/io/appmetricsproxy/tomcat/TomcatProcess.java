package io.appmetricsproxy.tomcat;

import io.appmetricsproxy.testing.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Tomcat distribution run by {@code bin/catalina.sh run} on a private CATALINA_BASE: the
 * distribution's conf/, our server.xml on a free port, and a WAR as webapps/ROOT.war.
 */
final class TomcatProcess implements AutoCloseable {
  private final Path base;
  private final Path log;
  private final Process process;
  private final int port;

  private TomcatProcess(Path base, Path log, Process process, int port) {
    this.base = base;
    this.log = log;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts Tomcat from {@code home}. The child's environment holds {@code appEnv} and what
   * catalina.sh needs, nothing inherited, so that the developer's own DOCKER_HOST cannot leak in.
   */
  static TomcatProcess launch(
      Path home, Path serverXml, Path setenv, Path war, Map<String, String> appEnv)
      throws IOException {
    Path base = Files.createTempDirectory("amp-tomcat-");
    try {
      fillBase(base, home, serverXml, setenv, war);
      int port = freePort();
      Path log = base.resolve("logs/catalina-run.out");
      ProcessBuilder builder =
          new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
              .directory(base.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.clear();
      env.put("PATH", System.getenv("PATH"));
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.put("LANG", "C.UTF-8"); // as in the official image
      env.put("CATALINA_HOME", home.toString());
      env.put("CATALINA_BASE", base.toString());
      // tomcat/server.xml reads its port as ${amp.http.port:-2137}.
      env.put("CATALINA_OPTS", "-Damp.http.port=" + port);
      env.putAll(appEnv);
      return new TomcatProcess(base, log, builder.start(), port);
    } catch (IOException | RuntimeException e) {
      Folders.delete(base);
      throw e;
    }
  }

  /**
   * CATALINA_BASE: the distribution's conf/ with our server.xml, our bin/setenv.sh, and the WAR as
   * ROOT.
   */
  private static void fillBase(Path base, Path home, Path serverXml, Path setenv, Path war)
      throws IOException {
    for (String dir : new String[] {"bin", "conf", "logs", "temp", "webapps", "work"}) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> files = Files.list(home.resolve("conf"))) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
      }
    }
    Files.copy(serverXml, base.resolve("conf/server.xml"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(setenv, base.resolve("bin/setenv.sh"));
    Files.copy(war, base.resolve("webapps/ROOT.war"));
  }

  /**
   * Waits until the connector answers. Tomcat starts its connector after the deployment of its
   * webapps, successful or not, so the first answer means that ROOT.war has been dealt with.
   */
  void awaitStarted(HttpClient http, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Tomcat exited with " + process.exitValue() + " while starting:\n" + log());
      }
      try {
        http.send(
            HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(5)).build(),
            BodyHandlers.discarding());
        return;
      } catch (IOException ignored) {
        Thread.sleep(250); // not listening yet
      }
    }
    throw new IllegalStateException("Tomcat did not answer within " + timeout + ":\n" + log());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Everything that catalina.sh run printed so far (its stdout and stderr). */
  String log() {
    try {
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops Tomcat by a signal to its pid (catalina.sh run execs the JVM), then deletes the base. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      process.destroy(); // SIGTERM: Tomcat's shutdown hook stops the webapps
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      Folders.delete(base);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
