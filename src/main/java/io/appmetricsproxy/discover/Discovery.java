package io.appmetricsproxy.discover;

import java.util.List;

/**
 * What one look at the engine found: the targets to scrape and the containers left out, with why.
 */
public record Discovery(String node, List<Target> targets, List<Skipped> skipped) {
  public Discovery {
    targets = List.copyOf(targets);
    skipped = List.copyOf(skipped);
  }
}
