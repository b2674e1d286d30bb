#!/usr/bin/env bash
# The replication client's smallest requests against the replication server over loopback (both
# real, in one JVM): session open, stat, and the read of a 20-byte file; median and max of N sessions.
#   bench/sftp-read.sh [sessions, default 50]
exec bash "$(dirname "$0")/java.sh" io.appmetricsproxy.replicate.SftpReadBench "$@"
