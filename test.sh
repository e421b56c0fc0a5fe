#!/usr/bin/env bash
# Runs the whole test suite: domain, API, fault and browser tests (dotnet test: a throwaway PostgreSQL cluster, real
# Kestrel, Debian's chromium) and the JavaScript suites of Survey.Widgets (widget, logic, mini-program component).
# Results: TestResults/results.trx and TestResults/js-*.log. Extra arguments go to dotnet test, e.g. --filter.
set -uo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh || exit 1
rm -rf TestResults && mkdir -p TestResults
status=0
dotnet test Survey.sln -c Release --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory TestResults "$@" || status=1

# JavaScript suites (Node's test runner); skipped when dotnet test was asked to run a subset.
if [[ $# -eq 0 ]]; then
  for suite in Survey.Widgets Survey.Widgets/miniprogram; do
    [[ -f "$suite/package.json" ]] || continue
    name=$(echo "$suite" | tr '/' '-')
    echo "== npm test in $suite"
    (cd "$suite" && { [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error; } && npm test) 2>&1 | tee "TestResults/js-$name.log"
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  done
fi
exit $status
