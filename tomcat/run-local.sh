#!/usr/bin/env bash
# Runs the proxy on this machine in Tomcat 10.1's own distribution (from Maven Central) on :2137,
# against the machine's Docker engine. On a fresh Debian machine it first installs and starts one.
set -euo pipefail
cd "$(dirname "$0")/.."
socket="${DOCKER_HOST:-unix:///var/run/docker.sock}"
if [[ "$socket" == unix://* ]] && ! docker -H "$socket" info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null; then
    echo "No Docker engine here: installing Debian's docker.io"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io
  fi
  if ! docker -H "$socket" info >/dev/null 2>&1; then
    if command -v systemctl >/dev/null && systemctl start docker 2>/dev/null; then
      :
    else
      echo "Starting dockerd (log: /var/log/dockerd.log)"
      rm -f /var/run/docker.pid
      nohup dockerd >/var/log/dockerd.log 2>&1 &
    fi
    for _ in $(seq 60); do docker -H "$socket" info >/dev/null 2>&1 && break; sleep 1; done
  fi
fi
exec mvn -B package cargo:run -DskipTests "$@"
