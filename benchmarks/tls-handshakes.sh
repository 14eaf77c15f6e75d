#!/usr/bin/env bash
# TLS handshake cost: h2load opens many TLS connections (one request each) to examples/Server and
# to nghttpd, the same certificate (ECDSA P-256) for both, server on core 0 and h2load on core 1.
# Each round measures the server's CPU time (utime + stime from /proc) over one h2load run and
# prints handshakes per CPU-second; the .NET server is warmed by rounds that are not counted
# (the tiered JIT), and the medians of the counted rounds are compared.
#
# usage: benchmarks/tls-handshakes.sh [rounds=5] [connections per round=1000] [warm-up rounds=5]
set -euo pipefail
rounds=${1:-5}
connections=${2:-1000}
warmup=${3:-5}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "tls-handshakes.sh needs $1 (Debian: apt-get install -y $2)" >&2; exit 1; }; }
need h2load nghttp2-client
need nghttpd nghttp2-server
need taskset util-linux
need openssl openssl
[ "$(nproc)" -ge 2 ] || { echo "tls-handshakes.sh needs two cores (server and load generator apart)" >&2; exit 1; }

echo "Building examples/Server (Release)"
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly "$repo/examples/Server/Server.csproj"
h2sharp="$repo/examples/Server/bin/Release/net10.0/h2sharp-server.dll"
mkdir -p "$work/docroot"
printf 'ok\n' > "$work/docroot/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
port=18443
url="https://127.0.0.1:$port/"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # name -> prints the handshakes per CPU-second of each counted round
  local name=$1 pid
  case $name in
    h2sharp) taskset -c 0 dotnet "$h2sharp" --port 0 --tls-port $port --cert "$work/cert.pem" --key "$work/key.pem" --quiet >"$work/server.log" 2>&1 & ;;
    nghttpd) taskset -c 0 nghttpd -d "$work/docroot" $port "$work/key.pem" "$work/cert.pem" >"$work/server.log" 2>&1 & ;;
  esac
  pid=$!
  for _ in $(seq 100); do
    if h2load -n 1 -c 1 "$url" 2>/dev/null | grep -q "1 succeeded"; then break; fi
    sleep 0.1
  done
  local hz; hz=$(getconf CLK_TCK)
  for i in $(seq $((warmup + rounds))); do
    local before after out
    before=$(cpu_ticks $pid)
    out=$(taskset -c 1 h2load -n "$connections" -c "$connections" -m 1 "$url" 2>&1)
    after=$(cpu_ticks $pid)
    grep -q "$connections succeeded" <<<"$out" || { echo "$name: not every request succeeded:" >&2; grep -E "requests:|errored" <<<"$out" >&2; }
    if [ "$i" -gt "$warmup" ]; then
      awk -v n="$connections" -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.0f\n", (t > 0 ? n * hz / t : 0) }'
    fi
  done
  kill $pid; wait $pid 2>/dev/null || true
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# nghttpd needs no warm-up, but gets the same rounds.
h2sharp=$(measure h2sharp | median)
nghttpd=$(measure nghttpd | median)
echo "TLS handshakes per CPU-second (median of $rounds rounds of $connections connections, after $warmup warm-up rounds):"
echo "  examples/Server  $h2sharp"
echo "  nghttpd          $nghttpd"
awk -v a="$h2sharp" -v b="$nghttpd" 'BEGIN { printf "  ratio            %.2f of nghttpd\x27s handshakes per CPU-second\n", (b > 0 ? a / b : 0) }'
