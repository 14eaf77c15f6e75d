#!/usr/bin/env bash
# Before and after in one run: benchmarks/compare.sh <git-revision> [BenchmarkDotNet filter...]
#
# Builds the benchmarks of <git-revision> (in a temporary worktree) and of the working tree, both
# in Release, then runs the same BenchmarkDotNet filters on both, one after the other on the same
# machine with the same settings, and prints the two summaries. By default: the in-memory
# exchange, the HPACK corpus decode and the frame parse. Results: artifacts/compare/.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: benchmarks/compare.sh <git-revision> [filter...]" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
revision=$(git -C "$repo" rev-parse --verify "$1^{commit}")
shift
filters=("$@")
[ ${#filters[@]} -gt 0 ] || filters=('*ConnectionBenchmarks.Exchange*' '*HpackBenchmarks.DecodeCorpus*' '*FrameBenchmarks.Parse*')

out="$repo/artifacts/compare"
# Outside the repository: BenchmarkDotNet finds its project by name under the repository root.
before="${TMPDIR:-/tmp}/h2sharp-compare-${revision:0:12}"
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

git -C "$repo" worktree remove --force "$before" 2>/dev/null || rm -rf "$before"
git -C "$repo" worktree add --detach "$before" "$revision" >/dev/null
trap 'git -C "$repo" worktree remove --force "$before" >/dev/null 2>&1 || true' EXIT

for side in before after; do
  root=$([ $side = before ] && echo "$before" || echo "$repo")
  echo "Building the benchmarks ($side: $([ $side = before ] && echo "${revision:0:12}" || echo "working tree"))"
  dotnet build "$root/benchmarks/H2.Benchmarks/H2.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
done

for side in before after; do
  root=$([ $side = before ] && echo "$before" || echo "$repo")
  echo "Running ($side)"
  (cd "$root/benchmarks/H2.Benchmarks" && dotnet bin/Release/net10.0/H2.Benchmarks.dll \
      --filter "${filters[@]}" --artifacts "$out/$side" --join) > "$out/$side.log"
done

for side in before after; do
  echo
  echo "== $side ($([ $side = before ] && echo "${revision:0:12}" || echo "$(git -C "$repo" rev-parse --short=12 HEAD)+working tree")) =="
  sed -n '/^| Method\|^|---\|^| .*|$/p' "$out/$side.log" | grep -v '^$' || tail -30 "$out/$side.log"
done
