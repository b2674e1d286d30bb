#!/usr/bin/env bash
# What an exchange does with a manifest of N folders, each step alone on one thread
# (io.appmetricsproxy.store.ManifestBench): parse, join with this node's folders, format, and deflate by a kept stream.
#   bench/manifest.sh [N...] (default 50 200)
exec bash "$(dirname "$0")/java.sh" io.appmetricsproxy.store.ManifestBench "$@"
