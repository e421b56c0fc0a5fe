#!/usr/bin/env bash
# Runs the whole test suite: domain tests, API tests against a throwaway PostgreSQL cluster.
# Results: TestResults/results.trx. Extra arguments go to dotnet test, e.g. --filter.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh
rm -rf TestResults
dotnet test Survey.sln -c Release --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory TestResults "$@"
