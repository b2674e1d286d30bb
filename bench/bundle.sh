#!/usr/bin/env bash
# What a manager spends to send K changed entries to each of 199 peers, as they are and gzipped once
# for all peers (io.appmetricsproxy.replicate.BundleBench): bundle, session deflate, bytes on the
# wire, a peer's split.
#   bench/bundle.sh [K...] (default 1 4 16)
exec bash "$(dirname "$0")/java.sh" io.appmetricsproxy.replicate.BundleBench "$@"
