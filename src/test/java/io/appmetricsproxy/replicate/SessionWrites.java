package io.appmetricsproxy.replicate;

import java.util.Arrays;
import java.util.List;

/**
 * Bytes sent through an SSH session's compression as SFTP writes of up to 32 KB, one packet each.
 */
final class SessionWrites {
  private SessionWrites() {}

  /**
   * The compressed bytes of {@code bytes}; each compressed packet added to {@code packets} where
   * not null.
   */
  static int send(SshZlib zlib, byte[] bytes, List<byte[]> packets) {
    int total = 0;
    for (int at = 0; at < bytes.length; at += 32_768) {
      int n = Math.min(32_768, bytes.length - at);
      byte[] packet = new byte[5 + n + 64];
      System.arraycopy(bytes, at, packet, 5, n);
      int[] end = {5 + n};
      byte[] sent = zlib.compress(packet, 5, end);
      total += end[0] - 5;
      if (packets != null) {
        packets.add(Arrays.copyOfRange(sent, 5, end[0]));
      }
    }
    return total;
  }
}
