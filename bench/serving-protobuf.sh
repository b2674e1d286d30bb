#!/usr/bin/env bash
# Benchmark 3b: serving the same ~100 KB of metrics as protobuf and as text. Two containers serve the
# same 1,485 counters, one as the text format, one as delimited protobuf (io.prometheus.client); the
# proxy scrapes both. wrk (2 threads, 32 connections, loopback, gzip accepted) then asks
#   text      the text container's metrics with Prometheus 2.42's Accept (served as scraped),
#   protobuf  the protobuf container's with Prometheus 2.42's Accept of native histograms (as scraped),
#   converted the protobuf container's with a text-only Accept (text converted once per scrape).
# Runs alternate after a warm-up of each; the better of two runs counts.
# Usage: bash bench/serving-protobuf.sh [SECONDS]. Needs root; cleans up on exit.
source "$(dirname "$0")/lib.sh"
secs="${1:-10}"
trap 'bench_cleanup' EXIT
need curl curl
need wrk wrk
need python3 python3
engine_start
body_file 102400 "$BENCH_DIR/body"
# the same counters as delimited protobuf: one MetricFamily of COUNTER metrics
python3 - "$BENCH_DIR/body" "$BENCH_DIR/body.pb" <<'PY'
import re, struct, sys
def varint(n):
    out = bytearray()
    while n > 0x7f:
        out.append((n & 0x7f) | 0x80); n >>= 7
    out.append(n); return bytes(out)
def field(num, payload): return varint(num << 3 | 2) + varint(len(payload)) + payload
def string(num, s): return field(num, s.encode())
metrics = b""
for line in open(sys.argv[1]):
    m = re.match(r'bench_requests_total\{path="([^"]*)",code="([^"]*)"\} (\d+)', line)
    if m:
        labels = field(1, string(1, "path") + string(2, m[1])) + field(1, string(1, "code") + string(2, m[2]))
        counter = field(3, varint(1 << 3 | 1) + struct.pack("<d", float(m[3])))
        metrics += field(4, labels + counter)
family = string(1, "bench_requests_total") + string(2, "Requests by path.") + varint(3 << 3) + varint(0) + metrics
open(sys.argv[2], "wb").write(varint(len(family)) + family)
PY
dir="$BENCH_DIR/image"
mkdir -p "$dir/bin" "$dir/www" "$dir/etc"
need busybox busybox-static
cp "$(command -v busybox)" "$dir/bin/busybox"
for app in sh httpd sleep; do ln -sf busybox "$dir/bin/$app"; done
cp "$BENCH_DIR/body" "$dir/www/metrics"
cp "$BENCH_DIR/body.pb" "$dir/www/metrics.pb"
echo '.pb:application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited' >"$dir/etc/httpd.conf"
tar -C "$dir" -c . | $D import - "$IMAGE" >/dev/null
$D run -d --name textbody --label amp-bench=1 "$IMAGE" httpd -f -p 8080 -h /www -c /etc/httpd.conf >/dev/null
$D run -d --name protobody --label amp-bench=1 --label prometheus.io/path=/metrics.pb "$IMAGE" \
  httpd -f -p 8080 -h /www -c /etc/httpd.conf >/dev/null
proxy_start SCRAPE_INTERVAL=10 || { tail -40 "$BENCH_DIR/tomcat.log" >&2; exit 1; }
PROM='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
PROM_NATIVE='application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
TEXT_ONLY='text/plain;version=0.0.4'
text_url="http://127.0.0.1:$PROXY_PORT/textbody/metrics"
proto_url="http://127.0.0.1:$PROXY_PORT/protobody/metrics"
for _ in $(seq 60); do
  curl -sf "$text_url" >/dev/null && curl -sf "$proto_url" >/dev/null && break
  sleep 0.5
done
curl -sf -H "Accept: $PROM_NATIVE" "$proto_url" -o "$BENCH_DIR/served.pb" -D "$BENCH_DIR/served.pb.h"
cmp -s "$BENCH_DIR/served.pb" "$BENCH_DIR/body.pb" || { echo "the proxy does not serve the protobuf as scraped" >&2; exit 1; }
grep -qi '^content-type: application/vnd.google.protobuf' "$BENCH_DIR/served.pb.h" || { echo "not served as protobuf" >&2; exit 1; }
curl -sf -H "Accept: $TEXT_ONLY" "$proto_url" -o "$BENCH_DIR/served.txt"
plain() { # plain URL ACCEPT: bytes of the answer without gzip
  curl -sf -H "Accept: $2" "$1" | wc -c
}
# run NAME URL ACCEPT SECONDS: "NAME requests/s bytes/request"
run() {
  wrk -t2 -c32 -d"$4"s -H "Accept: $3" -H 'Accept-Encoding: gzip' -H 'User-Agent: Prometheus/2.42.0' \
    -H 'X-Prometheus-Scrape-Timeout-Seconds: 10' "$2" >"$BENCH_DIR/wrk.out"
  local rps bytes
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$BENCH_DIR/wrk.out")
  bytes=$(awk '/^Transfer\/sec:/ { v = $2; u = substr(v, length(v) - 1); n = v + 0;
    if (u == "KB") n *= 1024; else if (u == "MB") n *= 1048576; else if (u == "GB") n *= 1073741824; printf "%.0f\n", n }' "$BENCH_DIR/wrk.out")
  echo "$1 $rps $(echo "$bytes / $rps" | bc)"
}
run text "$text_url" "$PROM" 3 >/dev/null
run protobuf "$proto_url" "$PROM_NATIVE" 3 >/dev/null
run converted "$proto_url" "$TEXT_ONLY" 3 >/dev/null
results=()
for round in 1 2; do
  results+=("$(run text "$text_url" "$PROM" "$secs")")
  results+=("$(run protobuf "$proto_url" "$PROM_NATIVE" "$secs")")
  results+=("$(run converted "$proto_url" "$TEXT_ONLY" "$secs")")
done
printf '%s\n' "${results[@]}" >"$BENCH_DIR/results"
cat "$BENCH_DIR/results"
read -r t_rps t_bytes < <(results_best text)
read -r p_rps p_bytes < <(results_best protobuf)
read -r c_rps c_bytes < <(results_best converted)
echo
echo "| same 1,485 counters, wrk -t2 -c32 ${secs}s, gzip | body as scraped | requests/s | bytes/request on the wire (gzip) | bytes without gzip |"
echo "|---|---|---|---|---|"
echo "| text body, Prometheus' Accept | text | $t_rps | $t_bytes | $(plain "$text_url" "$PROM") |"
echo "| protobuf body, Accept of native histograms | protobuf | $p_rps | $p_bytes | $(plain "$proto_url" "$PROM_NATIVE") |"
echo "| protobuf body, text-only Accept | text converted once | $c_rps | $c_bytes | $(plain "$proto_url" "$TEXT_ONLY") |"
printf '| protobuf / text | | %.2fx | %.2fx | |\n' "$(echo "$p_rps / $t_rps" | bc -l)" "$(echo "$p_bytes / $t_bytes" | bc -l)"
