package io.appmetricsproxy.replicate;

import io.appmetricsproxy.store.SharedNames;

/** A shared folder's names (see {@link SharedNames}) checked before use; others are refused. */
final class Names {
  private Names() {}

  static String checkedNode(String node) {
    if (!SharedNames.valid(node)) {
      throw new ReplicationException("not a node folder name: \"" + node + "\"");
    }
    return node;
  }

  /** An entry file or {@link SharedNames#ALIVE}. */
  static String checkedFile(String file) {
    if (!SharedNames.file(file)) {
      throw new ReplicationException("not a store file name: \"" + file + "\"");
    }
    return file;
  }
}
