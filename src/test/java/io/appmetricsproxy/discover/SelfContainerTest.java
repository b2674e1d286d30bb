package io.appmetricsproxy.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfContainerTest {
  private static final String ID = "3f4e" + "a".repeat(60);

  @TempDir Path proc;

  @Test
  void readsTheIdFromTheEnginesBindMounts() throws IOException {
    Files.writeString(
        proc.resolve("mountinfo"),
        "1 0 0:1 / / rw - overlay overlay rw\n"
            + "2 1 8:1 /var/lib/docker/containers/"
            + ID
            + "/hostname /etc/hostname rw - ext4\n");
    assertThat(SelfContainer.detect(proc, "myhost")).contains(ID);
  }

  @Test
  void readsTheIdFromACgroupV1Path() throws IOException {
    Files.writeString(proc.resolve("mountinfo"), "1 0 0:1 / / rw - overlay overlay rw\n");
    Files.writeString(proc.resolve("cgroup"), "12:pids:/docker/" + ID + "\n");
    assertThat(SelfContainer.detect(proc, null)).contains(ID);
  }

  @Test
  void fallsBackToTheShortIdHostname() {
    assertThat(SelfContainer.detect(proc, "3f4eaaaaaaaa")).contains("3f4eaaaaaaaa");
  }

  @Test
  void outsideAContainerThereIsNoSelf() throws IOException {
    Files.writeString(proc.resolve("mountinfo"), "1 0 0:1 / / rw - ext4 /dev/sda1 rw\n");
    Files.writeString(proc.resolve("cgroup"), "0::/user.slice/session-1.scope\n");
    assertThat(SelfContainer.detect(proc, "build-machine")).isEmpty();
  }
}
