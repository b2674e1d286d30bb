package io.appmetricsproxy.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real test containers on the test engine, all labelled amp-test=RANDOM and force-removed by
 * close().
 */
public final class TestContainers implements AutoCloseable {
  /** The label key on everything a kit creates; its value is {@link #runId()}. */
  public static final String LABEL = "amp-test";

  private static final String FOREVER = "2147483647";
  private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  /** A started container: id, name, and address on the engine's default bridge. */
  public record Started(String id, String name, String ip) {
    /** "http://IP:PORT" + path. */
    public String url(int port, String path) {
      return "http://" + ip + ":" + port + path;
    }
  }

  private final TestEngine engine;
  private final DockerClient docker;
  private final String image;
  private final String runId = UUID.randomUUID().toString();
  private final boolean restartAlways;

  /**
   * Uses {@link TestEngine#get()} (skips or fails the test without an engine) and imports the test
   * image.
   */
  public TestContainers() {
    this(TestEngine.get(), false);
  }

  /**
   * Containers on {@code engine} (imports the test image there); with {@code restartAlways} each
   * has the restart policy "always", so that its engine starts it again after an engine restart.
   */
  public TestContainers(TestEngine engine, boolean restartAlways) {
    this.engine = engine;
    this.restartAlways = restartAlways;
    docker = engine.client();
    image = TestImages.busybox(engine);
    LIVE.add(runId);
  }

  /** The engine these containers run on. */
  public TestEngine engine() {
    return engine;
  }

  /** This kit's random label value. */
  public String runId() {
    return runId;
  }

  /** {amp-test=RANDOM}: filter on it to see only this kit's containers. */
  public Map<String, String> labels() {
    return Map.of(LABEL, runId);
  }

  /**
   * busybox httpd on {@code port} serving {@code body} at /metrics (no Content-Type header: httpd
   * has none).
   */
  public Started metrics(String name, int port, String body, Map<String, String> labels) {
    return metrics(name, port, "/metrics", body, labels);
  }

  /**
   * busybox httpd on {@code port} serving {@code body} at {@code path}, e.g.
   * "/actuator/prometheus".
   */
  public Started metrics(
      String name, int port, String path, String body, Map<String, String> labels) {
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must start and not end with '/': " + path);
    }
    Tar files = new Tar().file("www" + path, body.getBytes(StandardCharsets.UTF_8), 0644);
    Started s =
        start(name, labels, files, null, "httpd", "-f", "-p", Integer.toString(port), "-h", "/www");
    return awaitHttp(s, port, path);
  }

  /**
   * The host's prometheus-node-exporter (bind-mounted read-only with its libc) listening on 9100.
   */
  public Started nodeExporter(String name, Map<String, String> labels) {
    if (!Files.isExecutable(
        NODE_EXPORTER)) { // else the engine would make an empty folder there to bind
      throw new IllegalStateException(
          NODE_EXPORTER + " is missing: install prometheus-node-exporter");
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withBinds(
                new Bind(NODE_EXPORTER.toString(), new Volume("/bin/node_exporter"), AccessMode.ro),
                new Bind(
                    "/lib/x86_64-linux-gnu", new Volume("/lib/x86_64-linux-gnu"), AccessMode.ro),
                new Bind("/lib64", new Volume("/lib64"), AccessMode.ro));
    Started s = start(name, labels, null, host, "/bin/node_exporter", "--web.listen-address=:9100");
    return awaitHttp(s, 9100, "/metrics");
  }

  /**
   * {@code command} in {@code image} (e.g. {@link JavaImage#nativeHistogramsApp}), once it answers
   * HTTP 200 at /metrics on {@code port}.
   */
  public Started app(
      String image, String name, int port, Map<String, String> labels, String... command) {
    return awaitHttp(start(image, name, labels, null, null, command), port, "/metrics");
  }

  /** Runs (sleeps) and serves nothing. */
  public Started silent(String name, Map<String, String> labels) {
    Started s = start(name, labels, null, null, "sleep", FOREVER);
    await(s, "running", () -> true);
    return s;
  }

  /**
   * Accepts every TCP connection on {@code port} and never answers (each one gets a silent sleep).
   */
  public Started hanging(String name, int port, Map<String, String> labels) {
    Started s =
        start(
            name,
            labels,
            null,
            null,
            "nc",
            "-ll",
            "-p",
            Integer.toString(port),
            "-e",
            "sleep",
            FOREVER);
    return awaitTcp(s, port);
  }

  /**
   * Answers every request on {@code port} (so also /metrics) with 200 and an HTML page, text/html.
   */
  public Started html(String name, int port, Map<String, String> labels) {
    byte[] page =
        "<!DOCTYPE html>\n<html><head><title>Not metrics</title></head><body><h1>Hello</h1></body></html>\n"
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
            + page.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] response =
        (head + new String(page, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    // reads the request head up to its empty line, then sends the canned response
    String script =
        "#!/bin/sh\ncr=$(printf '\\r')\nwhile read -r line; do [ -z \"${line%\"$cr\"}\" ] && break; done\n"
            + "cat /www/response\n";
    return awaitHttp(
        responder(name, port, script, Map.of("response", response), labels), port, "/metrics");
  }

  /**
   * Runs {@code script} (a busybox sh script, installed as /www/respond) for every TCP connection
   * on {@code port}, its stdin and stdout the connection: a misbehaving HTTP server. {@code files}
   * are put under /www as well (name to content).
   */
  public Started responder(
      String name, int port, String script, Map<String, byte[]> files, Map<String, String> labels) {
    Tar tar = new Tar().file("www/respond", script.getBytes(StandardCharsets.UTF_8), 0755);
    files.forEach((file, content) -> tar.file("www/" + file, content, 0644));
    Started s =
        start(
            name,
            labels,
            tar,
            null,
            "nc",
            "-ll",
            "-p",
            Integer.toString(port),
            "-e",
            "/www/respond");
    return awaitTcp(s, port);
  }

  /** Returns {@code s} once its {@code port} accepts TCP connections. */
  private Started awaitTcp(Started s, int port) {
    await(
        s,
        "TCP port " + port + " to accept",
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.ip(), port), 500);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return s;
  }

  /** Force-removes one container; gone already is fine. */
  public void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // nothing to do
    }
  }

  /** Force-removes every container with this kit's label. */
  @Override
  public void close() {
    try {
      for (Container c :
          docker.listContainersCmd().withShowAll(true).withLabelFilter(labels()).exec()) {
        remove(c.getId());
      }
    } finally {
      LIVE.remove(runId);
    }
  }

  private Started start(
      String name, Map<String, String> labels, Tar files, HostConfig host, String... cmd) {
    return start(image, name, labels, files, host, cmd);
  }

  private Started start(
      String image,
      String name,
      Map<String, String> labels,
      Tar files,
      HostConfig host,
      String... cmd) {
    Map<String, String> all = new HashMap<>(labels == null ? Map.of() : labels);
    all.putAll(labels());
    HostConfig hostConfig = host == null ? HostConfig.newHostConfig() : host;
    CreateContainerCmd create =
        docker.createContainerCmd(image).withName(name).withLabels(all).withCmd(cmd);
    if (restartAlways) {
      hostConfig.withRestartPolicy(RestartPolicy.alwaysRestart());
    }
    create.withHostConfig(hostConfig).withStopTimeout(1); // an engine stop waits no longer
    String id;
    try {
      id = create.exec().getId();
    } catch (ConflictException e) {
      removeStale(name, e);
      id = create.exec().getId();
    }
    if (files != null) {
      docker
          .copyArchiveToContainerCmd(id)
          .withRemotePath("/")
          .withTarInputStream(files.stream())
          .exec();
    }
    docker.startContainerCmd(id).exec();
    return inspect(id);
  }

  /** A container as it is now: after an engine restart its address may be another. */
  public Started inspect(String id) {
    InspectContainerResponse c = docker.inspectContainerCmd(id).exec();
    String ip = c.getNetworkSettings().getNetworks().get("bridge").getIpAddress();
    return new Started(c.getId(), c.getName().replaceFirst("^/", ""), ip);
  }

  /**
   * A name clash with a kit container of no live kit in this JVM (a killed run) removes it; else
   * rethrows.
   */
  private void removeStale(String name, ConflictException clash) {
    InspectContainerResponse old = docker.inspectContainerCmd(name).exec();
    String owner =
        old.getConfig().getLabels() == null ? null : old.getConfig().getLabels().get(LABEL);
    if (owner == null || LIVE.contains(owner)) {
      throw clash;
    }
    System.err.println(
        "[test-engine] removing stale test container " + name + " (" + LABEL + "=" + owner + ")");
    remove(old.getId());
  }

  private Started awaitHttp(Started s, int port, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(s.url(port, path)))
            .timeout(Duration.ofSeconds(2))
            .build();
    await(
        s,
        "HTTP 200 at " + s.url(port, path),
        () -> {
          try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    return s;
  }

  /** Polls {@code ready} while the container runs; fails with its log if it stops or 30 s pass. */
  private void await(Started s, String what, BooleanSupplier ready) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      Boolean running = docker.inspectContainerCmd(s.id()).exec().getState().getRunning();
      if (Boolean.TRUE.equals(running) && ready.getAsBoolean()) {
        return;
      }
      if (!Boolean.TRUE.equals(running) || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "container "
                + s.name()
                + " not ready ("
                + what
                + ", running="
                + running
                + "); log:\n"
                + logs(s.id()));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + s.name(), e);
      }
    }
  }

  private String logs(String id) {
    StringBuilder out = new StringBuilder();
    try {
      docker
          .logContainerCmd(id)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(30)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(5, TimeUnit.SECONDS);
    } catch (RuntimeException | InterruptedException e) {
      out.append("(no log: ").append(e).append(')');
    }
    return out.toString();
  }

  /** The containers (running or not) that carry this kit's label right now. */
  public List<Container> containers() {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels()).exec();
  }
}
