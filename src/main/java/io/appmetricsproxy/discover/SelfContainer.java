package io.appmetricsproxy.discover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the id of the container the proxy itself runs in, so that it does not scrape itself. */
final class SelfContainer {
  private static final Pattern MOUNTED_ID = Pattern.compile("/containers/([0-9a-f]{64})/");
  private static final Pattern CGROUP_ID = Pattern.compile("[/-]([0-9a-f]{64})(?:\\.scope)?$");
  private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{12}");

  private SelfContainer() {}

  /**
   * The full id from the engine's bind mounts (/etc/hostname and friends) or the cgroup, else the
   * short id that Docker uses as default hostname; a prefix of the real id in every case.
   */
  static Optional<String> detect(Path procSelf, String hostname) {
    Optional<String> id = find(procSelf.resolve("mountinfo"), MOUNTED_ID);
    if (id.isEmpty()) {
      id = find(procSelf.resolve("cgroup"), CGROUP_ID);
    }
    if (id.isEmpty() && hostname != null && SHORT_ID.matcher(hostname).matches()) {
      id = Optional.of(hostname);
    }
    return id;
  }

  static Optional<String> detect() {
    return detect(Path.of("/proc/self"), System.getenv("HOSTNAME"));
  }

  private static Optional<String> find(Path file, Pattern pattern) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException | RuntimeException ignored) {
      return Optional.empty();
    }
    for (String line : lines) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
