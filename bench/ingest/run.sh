#!/usr/bin/env bash
# Ingest benchmark: operational events through the real API (Release, own process) by CSV import (streamed upload) and by batched
# webhook (1,000 per request, 4 senders), next to PostgreSQL COPY of the same rows into a comparable table, on one private
# PostgreSQL cluster. Reports events/s, ratios to COPY, CPU per event, the import report's correctness and the API's resident
# memory during the import. Appends to bench/ingest/RESULTS.md.
#   bench/ingest/run.sh                           100,000 events per path (a few minutes)
#   bench/ingest/run.sh --rows 1000000            a 1M-row CSV import (the webhook stays at 100,000): proves the import streams
#   bench/ingest/run.sh --rows 5000               a smoke run
#   bench/ingest/run.sh --senders 8 --webhook-rows 50000
#   bench/ingest/run.sh --warmup-rows 5000 --warmup-max 120   the warm-up (defaults): CSV imports of 5,000 rows until the API's
#                                                 tiered-compilation thread is nearly idle (a running server, not a fresh process)
#   bench/ingest/run.sh --rows 50000 --api-env DOTNET_TieredPGO=0   runtime settings for the API
#   bench/ingest/run.sh --rows 20000 --pg-log     the CSV import's statements with their server-side time (from the cluster's log)
#   bench/ingest/run.sh --no-analyze              no ANALYZE after the warm-up (plans cached while the tables were small stay)
#   BENCH_API_DLL=DIR/Survey.Api.dll BENCH_LABEL=old bench/ingest/run.sh ...   another API build (bench/ingest/ab.sh does A/B rounds)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
artifacts="$repo/bench/ingest/.artifacts"
# only PostgreSQL (and aiosmtpd) are needed here: the full prerequisites only when one is missing
{ compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && /usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1; } || scripts/prerequisites.sh
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet build bench/ingest/IngestBench.csproj -c Release --artifacts-path "$artifacts" -nologo -v q -clp:ErrorsOnly >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
dotnet "$artifacts/bin/IngestBench/release/IngestBench.dll" --api-dll "${BENCH_API_DLL:-$artifacts/bin/Survey.Api/release/Survey.Api.dll}" --out "$out" "$@" || status=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "## Run $(date -u '+%Y-%m-%d %H:%M UTC'): \`bench/ingest/run.sh${*:+ $*}\`${BENCH_LABEL:+ ($BENCH_LABEL)}"
  echo
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GB, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Survey.Api Survey.Domain || echo ' + uncommitted changes'); load average before: $load_before, after: $load_after."
  echo
  cat "$out"
  [[ $status -eq 0 ]] || echo "**The run failed (exit $status)**; see the log above."
  echo
} >> bench/ingest/RESULTS.md
echo "Appended to bench/ingest/RESULTS.md" >&2
exit $status
