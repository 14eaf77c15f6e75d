#!/usr/bin/env bash
# Fuzzes H2Sharp with AFL++ and SharpFuzz: fuzz/run.sh <target|all> [minutes]
#
# Installs afl++ and the sharpfuzz tool when missing, builds the harness in Release, instruments
# a copy of H2Sharp.dll, writes seeds from tests/testdata, runs afl-fuzz headless for the given
# minutes (default 30) per target, then prints a summary and replays every crash and hang with the
# uninstrumented harness so that their stack traces show. Output: fuzz/out/<target>/ (ignored by
# git). Exits 1 when any target saved a crash or a hang.
set -euo pipefail

targets_all=(frame-reader hpack server client)
usage="usage: fuzz/run.sh <${targets_all[*]// /|}|all> [minutes]"
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "$usage" >&2; exit 2; }
if [ "$1" = all ]; then
  targets=("${targets_all[@]}")
elif [[ " ${targets_all[*]} " == *" $1 "* ]]; then
  targets=("$1")
else
  echo "$usage" >&2; exit 2
fi
minutes=${2:-30}
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || { echo "minutes must be a positive integer" >&2; exit 2; }
# An input slower than this is a hang; it also covers the restart of the .NET child after a crash.
timeout_ms=${FUZZ_TIMEOUT_MS:-2000}

fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$fuzz_dir")
out="$fuzz_dir/out"
mkdir -p "$out"

# One afl-fuzz at a time: the machine is small and shared.
exec 9>"$out/.lock"
flock -n 9 || { echo "Another fuzz/run.sh is running (lock $out/.lock)." >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PATH="$PATH:$HOME/.dotnet/tools"

# --- Tools -------------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "Installing afl++"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq afl++
fi
if ! command -v sharpfuzz >/dev/null 2>&1; then
  echo "Installing the sharpfuzz tool"
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
fi

# --- Build and instrument ------------------------------------------------------------------------
# The plain build stays as it is for replays (exact stack traces); afl-fuzz runs an instrumented copy.
echo "Building the harness (Release)"
dotnet build "$fuzz_dir/H2.Fuzz/H2.Fuzz.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
plain="$fuzz_dir/H2.Fuzz/bin/Release/net10.0"
instrumented="$out/bin"
rm -rf "$instrumented"
cp -r "$plain" "$instrumented"
sharpfuzz "$instrumented/H2Sharp.dll" >/dev/null
echo "Instrumented $instrumented/H2Sharp.dll"

stat_of() { grep -E "^$1 *:" "$2" 2>/dev/null | sed 's/^[^:]*: *//' || true; }

status=0
for target in "${targets[@]}"; do
  dir="$out/$target"
  mkdir -p "$dir"
  # A new run starts afresh; the previous run's findings are kept once, as findings.prev.
  if [ -d "$dir/findings" ]; then
    rm -rf "$dir/findings.prev"
    mv "$dir/findings" "$dir/findings.prev"
  fi
  rm -rf "$dir/seeds"
  dotnet "$plain/H2.Fuzz.dll" seeds "$target" "$repo/tests/testdata" "$dir/seeds" 300

  echo "Fuzzing $target for $minutes min (log: $dir/afl.log)"
  # dotnet itself carries no AFL instrumentation (SKIP_BIN_CHECK); a seed that crashes is
  # skipped rather than ending the run; no status screen; any free core will do.
  set +e
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_NO_AFFINITY=1 AFL_SKIP_CRASHES=1 AFL_FORKSRV_INIT_TMOUT=60000 \
    afl-fuzz -i "$dir/seeds" -o "$dir/findings" -t "$timeout_ms" -m none -V $((minutes * 60)) \
      -- dotnet "$instrumented/H2.Fuzz.dll" "$target" </dev/null >"$dir/afl.log" 2>&1
  afl_status=$?
  set -e

  stats="$dir/findings/default/fuzzer_stats"
  echo
  echo "=== $target ==="
  if [ ! -f "$stats" ]; then
    echo "afl-fuzz did not start (exit $afl_status); the end of $dir/afl.log:"
    tail -n 20 "$dir/afl.log"
    status=1
    continue
  fi
  crashes=$(stat_of saved_crashes "$stats")
  hangs=$(stat_of saved_hangs "$stats")
  echo "run time:      $(stat_of run_time "$stats") s (afl-fuzz exit $afl_status)"
  echo "execs:         $(stat_of execs_done "$stats") ($(stat_of execs_per_sec "$stats")/s)"
  echo "corpus:        $(stat_of corpus_count "$stats") inputs, $(stat_of corpus_found "$stats") found; edges $(stat_of edges_found "$stats"), stability $(stat_of stability "$stats")"
  echo "unique crashes: $crashes, hangs: $hangs"

  if [ "${crashes:-0}" -gt 0 ]; then
    status=1
    echo "--- replaying crashes ---"
    dotnet "$plain/H2.Fuzz.dll" replay "$target" "$dir/findings/default/crashes" | tee "$dir/replay-crashes.log" || true
  fi
  if [ "${hangs:-0}" -gt 0 ]; then
    status=1
    echo "--- replaying hangs (10 s each) ---"
    for hang in "$dir/findings/default/hangs"/id:*; do
      if ! timeout 10 dotnet "$plain/H2.Fuzz.dll" replay "$target" "$hang"; then
        echo "$hang: failed or still running after 10 s; input: $(od -An -tx1 -v "$hang" | tr -d " \n" | head -c 4096)"
      fi
    done 2>&1 | tee "$dir/replay-hangs.log"
  fi
done
exit $status
