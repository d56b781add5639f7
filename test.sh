#!/usr/bin/env bash
# The test command of the README: installs the peers the tests run against (idempotent, quick when
# present), then runs every test project of the solution and prints one summary line.
set -euo pipefail
cd "$(dirname "$0")"

if [[ $(id -u) -eq 0 ]]; then
  bash .ci/install-peers.sh
else
  sudo -n bash .ci/install-peers.sh
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test AspireProber.sln -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: N, Passed: N, ..." line per test assembly; add them up.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
