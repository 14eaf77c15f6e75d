#!/usr/bin/env bash
# Runs every test project of H2Sharp with line coverage, on a Debian machine with the .NET SDK.
# Installs what the tests need when it is missing, then prints per-layer coverage of src/H2
# and ends with one line: "N passed, N failed" summed over all test projects.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests drive as peers, as "command:package" pairs. A missing command is
# installed; a test that needs a peer fails (never skips) when the peer is absent.
required_tools=(curl:curl nghttp:nghttp2-client h2load:nghttp2-client nghttpd:nghttp2-server chromium:chromium clang:clang)

missing=()
for pair in "${required_tools[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
# Python's h2 for the Python peers (Debian's python3, not any other python on PATH).
/usr/bin/python3 -c "import h2" >/dev/null 2>&1 || missing+=(python3-h2)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

results=artifacts/test-results
rm -rf "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Coverage counts our sources, not generated ones (the logging source generator writes into obj/).
set +e
dotnet test H2Sharp.slnx \
  --logger "trx" \
  --logger "console;verbosity=minimal" \
  --results-directory "$results" \
  --collect "XPlat Code Coverage" \
  --blame-hang-timeout 10m \
  -- DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Include="[H2Sharp]*%2c[H2Sharp.Net]*%2c[H2Sharp.Extensions.Logging]*" \
     DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Format=cobertura \
     DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.ExcludeByFile="**/obj/**"
test_status=$?
set -e

# The benchmarks are not test projects: build them and run each body once (smoke mode) so that
# they cannot rot unnoticed. Full measurements are run by hand (see README).
smoke_failed=0
if ! dotnet run -c Release --project benchmarks/H2.Benchmarks -- --smoke > "$results/benchmark-smoke.log" 2>&1; then
  smoke_failed=1
  echo "Benchmark smoke run failed:"
  tail -n 30 "$results/benchmark-smoke.log"
else
  echo "Benchmark smoke run: $(grep -c '^smoke ' "$results/benchmark-smoke.log") benchmarks ran."
fi

# The documentation site (docfx: the guides in docs/ and the API reference from the XML docs)
# must build without a warning: a broken link or cross-reference fails the run.
docs_failed=0
if ! { dotnet tool restore > "$results/docs.log" 2>&1 && dotnet docfx docs/docfx.json --warningsAsErrors >> "$results/docs.log" 2>&1; }; then
  docs_failed=1
  echo "Documentation build failed:"
  grep -E "warning|error" "$results/docs.log" | tail -n 30
else
  echo "Documentation site: built without warnings into artifacts/docs."
fi

# Line coverage of src/H2 and src/H2.Net per folder (layer), merged over every test project's report.
mapfile -t reports < <(find "$results" -name 'coverage.cobertura.xml' 2>/dev/null)
if [ ${#reports[@]} -gt 0 ]; then
  echo
  echo "Line coverage by project and folder (reports: ${reports[*]})"
  awk '
    FNR == 1 { source = "" }
    /<source>/ {
      source = $0; sub(/.*<source>/, "", source); sub(/<\/source>.*/, "", source)
    }
    /<class / {
      match($0, /filename="[^"]*"/); file = substr($0, RSTART + 10, RLENGTH - 11)
      if (file !~ /^\//) file = source file
      gsub(/\\/, "/", file)
    }
    /<line / && file ~ /src\/H2(\.Net)?\// {
      match($0, /number="[0-9]+"/); line = substr($0, RSTART + 8, RLENGTH - 9)
      match($0, /hits="[0-9]+"/); hits = substr($0, RSTART + 6, RLENGTH - 7) + 0
      key = file ":" line
      if (!(key in seen) || hits > seen[key]) seen[key] = hits
    }
    END {
      for (key in seen) {
        path = key; sub(/:[0-9]+$/, "", path)
        project = (path ~ /src\/H2\.Net\//) ? "src/H2.Net" : "src/H2"
        sub(/.*src\/H2(\.Net)?\//, "", path)
        layer = (index(path, "/") > 0) ? substr(path, 1, index(path, "/") - 1) : "(root)"
        layer = project "/" layer
        total[layer]++; all[project]++
        if (seen[key] > 0) { covered[layer]++; hit[project]++ }
      }
      for (l in total) printf "  %-22s %6.2f%%  (%d of %d lines)\n", l, 100 * covered[l] / total[l], covered[l], total[l]
      for (p in all) printf "~ %-22s %6.2f%%  (%d of %d lines)\n", p " (all)", 100 * hit[p] / all[p], hit[p], all[p]
    }' "${reports[@]}" | sort | sed 's/^~/ /' 
fi

# Sum the outcome counters of every TRX file (one per test project).
passed=0; failed=0; skipped=0
while IFS= read -r trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done < <(find "$results" -name '*.trx' 2>/dev/null)

failed=$((failed + smoke_failed + docs_failed))
if [ "$skipped" -gt 0 ]; then
  echo "$skipped tests did not run; no test may skip, so they count as failed."
  failed=$((failed + skipped))
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  echo "No test results were found."
fi

echo "$passed passed, $failed failed"
[ "$test_status" -eq 0 ] && [ "$failed" -eq 0 ]
