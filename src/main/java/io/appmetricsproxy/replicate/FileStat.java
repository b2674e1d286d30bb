package io.appmetricsproxy.replicate;

/** What decides whether an entry file moves: its size and its modification time in seconds. */
record FileStat(long size, long mtimeSeconds) {}
