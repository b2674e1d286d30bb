package io.appmetricsproxy.lang;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What an exception's causes say, for the one line an operator reads: the libraries wrap the reason
 * ("Connection refused") in layers of their own framing.
 */
public final class Causes {
  private Causes() {}

  /** {@code e} and its causes, outermost first, each once (a cause may point back). */
  public static List<Throwable> chain(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  /** The innermost cause of {@code e}, itself when it has none. */
  public static Throwable innermost(Throwable e) {
    List<Throwable> chain = chain(e);
    return chain.get(chain.size() - 1);
  }
}
