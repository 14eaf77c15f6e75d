#!/usr/bin/env bash
# Load comparison: h2load against examples/Server, a minimal Kestrel app (benchmarks/KestrelH2c)
# and nghttpd, interleaved, several rounds, the same workload (GET / answered with ~130 octets of
# JSON). The server runs on one core, h2load on the other; loopback only; every run is bounded
# by a request count. Prints the medians: requests per second, server CPU per request, and the
# ratios to Kestrel and nghttpd.
#
# usage: benchmarks/load.sh [rounds=3] [requests=500000] [warm-up seconds=10]
set -euo pipefail
rounds=${1:-3}
requests=${2:-500000}
warmup=${3:-10}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "load.sh needs $1 (Debian: apt-get install -y $2)" >&2; exit 1; }; }
need h2load nghttp2-client
need nghttpd nghttp2-server
need taskset util-linux
need openssl openssl
cores=$(nproc)
[ "$cores" -ge 2 ] || { echo "load.sh needs two cores (server and load generator apart)" >&2; exit 1; }

echo "Building examples/Server and benchmarks/KestrelH2c (Release)"
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly "$repo/examples/Server/Server.csproj"
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly "$repo/benchmarks/KestrelH2c/KestrelH2c.csproj"
h2sharp="$repo/examples/Server/bin/Release/net10.0/h2sharp-server.dll"
kestrel="$repo/benchmarks/KestrelH2c/bin/Release/net10.0/KestrelH2c.dll"

# nghttpd serves a file of the same size as the others' answer.
mkdir -p "$work/docroot"
printf '{":method":"GET",":path":"/",":scheme":"http",":authority":"127.0.0.1:18081","user-agent":"h2load nghttp2/1.52.0"}\n' > "$work/docroot/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

port=18081
tls_port=18443
start_server() { # name tls -> sets pid
  local name=$1 tls=$2
  case $name in
    h2sharp)
      if [ "$tls" = 1 ]; then
        taskset -c 0 dotnet "$h2sharp" --port 0 --tls-port $tls_port --cert "$work/cert.pem" --key "$work/key.pem" --quiet >"$work/server.log" 2>&1 &
      else
        taskset -c 0 dotnet "$h2sharp" --port $port --no-tls --quiet >"$work/server.log" 2>&1 &
      fi ;;
    kestrel)
      taskset -c 0 dotnet "$kestrel" $port $([ "$tls" = 1 ] && echo $tls_port) >"$work/server.log" 2>&1 & ;;
    nghttpd)
      if [ "$tls" = 1 ]; then
        taskset -c 0 nghttpd -d "$work/docroot" $tls_port "$work/key.pem" "$work/cert.pem" >"$work/server.log" 2>&1 &
      else
        taskset -c 0 nghttpd -d "$work/docroot" --no-tls $port >"$work/server.log" 2>&1 &
      fi ;;
  esac
  pid=$!
  local target=$([ "$tls" = 1 ] && echo "https://127.0.0.1:$tls_port/" || echo "http://127.0.0.1:$port/")
  for _ in $(seq 100); do
    if h2load -n 1 -c 1 "$target" 2>/dev/null | grep -q "1 succeeded"; then return 0; fi
    sleep 0.1
  done
  echo "$name did not start; its log:" >&2; cat "$work/server.log" >&2; exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # name tls clients streams -> prints "reqs_per_s us_per_req"
  local name=$1 tls=$2 c=$3 m=$4
  start_server "$name" "$tls"
  local url=$([ "$tls" = 1 ] && echo "https://127.0.0.1:$tls_port/" || echo "http://127.0.0.1:$port/")
  # Warm-up by time, not by count: under full load on one core, .NET's tiered JIT takes several
  # seconds to replace the first quick code of hot methods with optimized code (a short warm-up
  # measured the .NET servers half-compiled, at a third of their steady speed).
  taskset -c 1 h2load -D "$warmup" -c "$c" -m "$m" "$url" >/dev/null 2>&1
  local before after out
  before=$(cpu_ticks $pid)
  out=$(taskset -c 1 h2load -n "$requests" -c "$c" -m "$m" "$url" 2>&1)
  after=$(cpu_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local ok rps
  ok=$(echo "$out" | sed -n 's/.* \([0-9]*\) succeeded.*/\1/p')
  rps=$(echo "$out" | sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p')
  [ "$ok" = "$requests" ] || { echo "$name: only $ok of $requests requests succeeded" >&2; echo "$out" >&2; exit 1; }
  local hz; hz=$(getconf CLK_TCK)
  echo "$rps $(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.2f", t / hz / n * 1e6 }')"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

workloads=("0 10 10" "0 100 100" "1 10 10")
servers=(h2sharp kestrel nghttpd)
declare -A rps cpu
for round in $(seq "$rounds"); do
  for w in "${workloads[@]}"; do
    read -r tls c m <<<"$w"
    for s in "${servers[@]}"; do
      read -r r u <<<"$(run "$s" "$tls" "$c" "$m")"
      rps["$s $w"]+="$r "
      cpu["$s $w"]+="$u "
      echo "round $round: $s $([ "$tls" = 1 ] && echo TLS || echo h2c) -c $c -m $m: $r req/s, $u us CPU/request"
    done
  done
done

echo
echo "Medians of $rounds rounds, $requests requests each (server on core 0, h2load on core 1):"
printf '%-20s %-9s %12s %14s %12s %12s %14s\n' workload server "req/s" "CPU us/req" "vs Kestrel" "vs nghttpd" "CPU vs nghttpd"
for w in "${workloads[@]}"; do
  read -r tls c m <<<"$w"
  label="$([ "$tls" = 1 ] && echo TLS || echo h2c) -c $c -m $m"
  kr=$(echo "${rps["kestrel $w"]}" | tr ' ' '\n' | grep . | median)
  nr=$(echo "${rps["nghttpd $w"]}" | tr ' ' '\n' | grep . | median)
  nu=$(echo "${cpu["nghttpd $w"]}" | tr ' ' '\n' | grep . | median)
  for s in "${servers[@]}"; do
    r=$(echo "${rps["$s $w"]}" | tr ' ' '\n' | grep . | median)
    u=$(echo "${cpu["$s $w"]}" | tr ' ' '\n' | grep . | median)
    printf '%-20s %-9s %12.0f %14.2f %11.2fx %11.2fx %13.2fx\n' "$label" "$s" "$r" "$u" \
      "$(awk -v a="$r" -v b="$kr" 'BEGIN { print a / b }')" "$(awk -v a="$r" -v b="$nr" 'BEGIN { print a / b }')" \
      "$(awk -v a="$u" -v b="$nu" 'BEGIN { print a / b }')"
  done
done
