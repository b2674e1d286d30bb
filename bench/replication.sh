#!/usr/bin/env bash
# Replication figures between two proxies in one JVM (a manager and a node with N targets), on their
# real Quartz schedules and real SSH over loopback: time from a change on one node to it being served
# on the other, and what an unchanged exchange and a one-entry change move.
#   bench/replication.sh [interval seconds, default 10] [trials, default 5] [entries, default 300]
exec bash "$(dirname "$0")/java.sh" io.appmetricsproxy.app.ReplicationBench "$@"
