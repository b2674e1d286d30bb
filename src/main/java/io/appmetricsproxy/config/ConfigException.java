package io.appmetricsproxy.config;

/**
 * A setting that cannot be used; the message names the key, what was expected and what was found.
 */
public final class ConfigException extends RuntimeException {
  ConfigException(String key, String expected, String found) {
    super(key + ": expected " + expected + ", found \"" + found + "\"");
  }
}
