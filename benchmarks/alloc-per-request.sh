#!/usr/bin/env bash
# What examples/Server spends per request under h2load -c10 -m10 (GET /, ~130 octets of JSON), by
# its own counters (its /stats route: GC.GetTotalAllocatedBytes and Environment.CpuUsage) read
# before and after a counted run, once the tiered JIT has settled. The server runs on core 0,
# h2load on core 1, loopback only. With a commit, that commit's server is measured too, in turns
# with the working tree's (a commit older than /stats gets the working tree's Routes.cs).
#
# usage: benchmarks/alloc-per-request.sh [commit] [requests=1000000] [warm-up seconds=15] [rounds=2]
set -euo pipefail
rev=${1:-}
requests=${2:-1000000}
warmup=${3:-15}
rounds=${4:-2}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "$rev" ] && git -C "$repo" worktree remove --force "$work/tree" 2>/dev/null; rm -rf "$work"' EXIT

for tool in h2load:nghttp2-client curl:curl taskset:util-linux; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || { echo "alloc-per-request.sh needs ${tool%%:*} (Debian: apt-get install -y ${tool#*:})" >&2; exit 1; }
done
[ "$(nproc)" -ge 2 ] || { echo "alloc-per-request.sh needs two cores (server and load generator apart)" >&2; exit 1; }

build() { # source-dir -> path of the built server dll
  dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly "$1/examples/Server/Server.csproj" >&2
  echo "$1/examples/Server/bin/Release/net10.0/h2sharp-server.dll"
}

declare -A dlls
dlls[working-tree]=$(build "$repo")
labels=(working-tree)
if [ -n "$rev" ]; then
  git -C "$repo" worktree add --detach "$work/tree" "$rev" >/dev/null 2>&1
  if ! grep -q '"/stats"' "$work/tree/examples/Server/Routes.cs"; then
    echo "$rev has no /stats route: measuring it with the working tree's examples/Server/Routes.cs" >&2
    cp "$repo/examples/Server/Routes.cs" "$work/tree/examples/Server/Routes.cs"
  fi
  dlls[$rev]=$(build "$work/tree")
  labels=("$rev" working-tree)
fi

port=18091
stats() { curl -sS --http2-prior-knowledge "http://127.0.0.1:$port/stats"; }
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

measure() { # dll -> "bytes_per_request cpu_us_per_request req_per_s"
  taskset -c 0 dotnet "$1" --port $port --no-tls --quiet >"$work/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do stats >/dev/null 2>&1 && break; sleep 0.1; done
  taskset -c 1 h2load -D "$warmup" -c 10 -m 10 "http://127.0.0.1:$port/" >/dev/null 2>&1
  local before after out
  before=$(stats)
  out=$(taskset -c 1 h2load -n "$requests" -c 10 -m 10 "http://127.0.0.1:$port/" 2>&1)
  after=$(stats)
  kill $pid; wait $pid 2>/dev/null || true
  local ok; ok=$(echo "$out" | sed -n 's/.* \([0-9]*\) succeeded.*/\1/p')
  [ "$ok" = "$requests" ] || { echo "only $ok of $requests requests succeeded" >&2; echo "$out" >&2; exit 1; }
  awk -v b0="$(echo "$before" | field allocated_bytes)" -v b1="$(echo "$after" | field allocated_bytes)" \
      -v c0="$(echo "$before" | field cpu_ms)" -v c1="$(echo "$after" | field cpu_ms)" -v n="$requests" \
      -v rps="$(echo "$out" | sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p')" \
      'BEGIN { printf "%.0f %.2f %.0f\n", (b1 - b0) / n, (c1 - c0) * 1000 / n, rps }'
}

for round in $(seq "$rounds"); do
  for label in "${labels[@]}"; do
    read -r bytes cpu rps <<<"$(measure "${dlls[$label]}")"
    echo "round $round: $label: $bytes B allocated/request, $cpu us CPU/request, $rps req/s ($requests requests after ${warmup} s of warm-up)"
  done
done
