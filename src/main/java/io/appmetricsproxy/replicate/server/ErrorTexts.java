package io.appmetricsproxy.replicate.server;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;

/**
 * Tells a peer why this node could not take a file ("No space left on device", "Read-only file
 * system"), never a path or a stack trace: sshd alone answers only "General failure".
 */
final class ErrorTexts implements SftpErrorStatusDataHandler {
  private static final int MAX_REASON = 120;

  @Override
  public String resolveErrorMessage(
      SftpSubsystemEnvironment sftp, int id, Throwable e, int subStatus, int cmd, Object... args) {
    String generic =
        SftpErrorStatusDataHandler.super.resolveErrorMessage(sftp, id, e, subStatus, cmd, args);
    String reason =
        e instanceof FileSystemException f
            ? f.getReason()
            : e instanceof IOException ? e.getMessage() : null;
    if (reason == null
        || reason.isBlank()
        || reason.length() > MAX_REASON
        || reason.contains("/")
        || reason.contains("\\")) {
      return generic;
    }
    return generic + ": " + reason;
  }
}
