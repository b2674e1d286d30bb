package io.appmetricsproxy.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Something a test needs from the machine (a tool, root): where it is missing the test is skipped,
 * except with CI=true, where src/test/setup.sh should have provided it and the test fails.
 */
public final class Prerequisite {
  private Prerequisite() {}

  /** Returns when {@code met}; else fails under CI=true, or skips, naming {@code what}. */
  public static void require(boolean met, String what) {
    if (met) {
      return;
    }
    if (onCi()) {
      throw new AssertionError(what + "; CI=true, so this fails");
    }
    Assumptions.abort(what + "; skipped (with CI=true this fails)");
  }

  public static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
