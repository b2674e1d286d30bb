#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine (as root): a Docker engine that the
# tests start themselves on a private socket, static busybox for the test images, a real
# Prometheus node exporter, promtool to check every served body, OpenSSH for the SFTP interop test,
# headless Chromium for the index page's browser test, wrk for the load test, and for the three-node
# Swarm test (src/test/e2e) iptables, jq, curl and Debian's prometheus, run on the host.
set -euo pipefail
packages=(docker.io busybox-static prometheus-node-exporter prometheus iproute2 iptables jq curl ca-certificates wrk
  openssh-server chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
