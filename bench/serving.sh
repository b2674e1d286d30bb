#!/usr/bin/env bash
# Benchmark 3: serving a 100 KB exposition under load with the headers Prometheus sends, the proxy's
# /<name>/metrics against nginx serving the same bytes as a static file (the original's setup:
# nginx, sendfile, no gzip, an access log as the proxy's Tomcat has). wrk, 2 threads, 32 connections, over loopback; runs alternate
# nginx, proxy, nginx, proxy after a warm-up of each, and the better run of each counts.
# Usage: bash bench/serving.sh [SECONDS]. Needs root; cleans up on exit.
source "$(dirname "$0")/lib.sh"
secs="${1:-15}"
NGINX_PORT="${NGINX_PORT:-21380}"
trap 'nginx_stop; bench_cleanup' EXIT
need curl curl
need wrk wrk
need nginx nginx-light
nginx_stop() { [ -f "$BENCH_DIR/nginx.pid" ] && kill "$(cat "$BENCH_DIR/nginx.pid")" 2>/dev/null; sleep 0.5; true; }
engine_start
body_file 102400 "$BENCH_DIR/body"
image_import "$BENCH_DIR/body"
$D run -d --name served --label amp-bench=1 "$IMAGE" httpd -f -p 8080 -h /www >/dev/null
proxy_start SCRAPE_INTERVAL=10
for _ in $(seq 40); do curl -sf "http://127.0.0.1:$PROXY_PORT/served/metrics" >/dev/null && break; sleep 0.5; done
mkdir -p "$BENCH_DIR/www/served"
curl -sf "http://127.0.0.1:$PROXY_PORT/served/metrics" >"$BENCH_DIR/www/served/metrics"
cmp -s "$BENCH_DIR/www/served/metrics" "$BENCH_DIR/body" || { echo "the proxy does not serve the body as scraped" >&2; exit 1; }
cat >"$BENCH_DIR/nginx.conf" <<CONF
worker_processes auto;
pid $BENCH_DIR/nginx.pid;
error_log $BENCH_DIR/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $BENCH_DIR/nginx-access.log; # the proxy's Tomcat logs every request too
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/plain metrics; }
  server { listen 127.0.0.1:$NGINX_PORT; root $BENCH_DIR/www; }
}
CONF
nginx -c "$BENCH_DIR/nginx.conf"
H=(-H 'Accept: application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1'
   -H 'Accept-Encoding: gzip' -H 'User-Agent: Prometheus/2.45.3' -H 'X-Prometheus-Scrape-Timeout-Seconds: 10')
# run URL SECONDS: "requests/s bytes/request"
run() {
  wrk -t2 -c32 -d"$2"s "${H[@]}" "$1" >"$BENCH_DIR/wrk.out"
  local rps bytes
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$BENCH_DIR/wrk.out")
  bytes=$(awk '/^Transfer\/sec:/ { v = $2; u = substr(v, length(v) - 1); n = v + 0;
    if (u == "KB") n *= 1024; else if (u == "MB") n *= 1048576; else if (u == "GB") n *= 1073741824; printf "%.0f\n", n }' "$BENCH_DIR/wrk.out")
  echo "$rps $(echo "$bytes / $rps" | bc)"
}
nginx_url="http://127.0.0.1:$NGINX_PORT/served/metrics"
proxy_url="http://127.0.0.1:$PROXY_PORT/served/metrics"
run "$nginx_url" 5 >/dev/null
run "$proxy_url" 10 >/dev/null
results=()
for round in 1 2; do
  results+=("nginx $(run "$nginx_url" "$secs")")
  results+=("proxy $(run "$proxy_url" "$secs")")
done
printf '%s\n' "${results[@]}" >"$BENCH_DIR/results"
cat "$BENCH_DIR/results"
read -r n_rps n_bytes < <(results_best nginx)
read -r p_rps p_bytes < <(results_best proxy)
echo
echo "| 100 KB exposition, wrk -t2 -c32 ${secs}s, Prometheus' headers | requests/s | bytes/request on the wire |"
echo "|---|---|---|"
echo "| nginx (static file, no gzip) | $n_rps | $n_bytes |"
echo "| app-metrics-proxy (gzip) | $p_rps | $p_bytes |"
printf '| ratio | %.2fx | %.1fx fewer |\n' "$(echo "$p_rps / $n_rps" | bc -l)" "$(echo "$n_bytes / $p_bytes" | bc -l)"
