#!/usr/bin/env bash
# The original script's algorithm, one pass, as the peer of bench/cycle.sh: for each running
# container, one `docker ps` for its name (and one `docker inspect` for its address), then for each
# port 80 8080 9100 a HEAD probe and, if it answers, a GET of the metrics into OUT_DIR/<name>.
# Usage: DOCKER_HOST=unix:///… bash bench/original.sh OUT_DIR [METRICS_PATH]
set -uo pipefail
out="$1"
path="${2:-/metrics}"
mkdir -p "$out"
for id in $(docker ps -q); do
  name=$(docker ps --filter "id=$id" --format '{{.Names}}')
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$id")
  for port in 80 8080 9100; do
    if curl -sfI --max-time 2 "http://$ip:$port$path" >/dev/null; then
      curl -sf --max-time 5 -o "$out/$name" "http://$ip:$port$path" && break
    fi
  done
done
