#!/usr/bin/env bash
# Floor of the CSV import's domain work (bench/experiments/ingest-floor): parse + validate + seal with the product's code, then
# (a) no database, (b) binary COPY to staging + set-based inserts into lean typed tables, (c) the same into Marten's jsonb tables,
# next to PostgreSQL COPY of the same CSV, on a private PostgreSQL cluster. Appends to RESULTS.md here.
#   bench/experiments/ingest-floor/run.sh                          100,000 rows, variants a,b,c
#   bench/experiments/ingest-floor/run.sh --rows 5000              a smoke run
#   bench/experiments/ingest-floor/run.sh --variants b,d --in-flight 1   (d: = b with arrays/unnest instead of COPY to staging)
#   ... --pg-log --explain                                        statements with server-side time; the plan of the customers' read
#   ... --warmup-rows 5000 --max-warmup-rounds 15                  JIT warm-up (rounds of fresh rows until the JIT thread is idle)
#   ... --repeat 2                                                 measure every variant twice, interleaved
#   ... --variants b,d --lean-pk-only                             the lean tables without secondary indexes (what they cost)
#   FLOOR_ENV="DOTNET_TieredCompilation=0" bench/experiments/ingest-floor/run.sh    runtime settings for the measured process
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo=$PWD
artifacts="$repo/bench/experiments/ingest-floor/.artifacts"
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || scripts/prerequisites.sh
dotnet build bench/experiments/ingest-floor/IngestFloor.csproj -c Release --artifacts-path "$artifacts" -nologo -v q -clp:ErrorsOnly >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
env ${FLOOR_ENV:-} dotnet "$artifacts/bin/IngestFloor/release/IngestFloor.dll" --out "$out" "$@" || status=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "## Run $(date -u '+%Y-%m-%d %H:%M UTC'): \`bench/experiments/ingest-floor/run.sh${*:+ $*}\`${FLOOR_ENV:+ with $FLOOR_ENV}"
  echo
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Survey.Api Survey.Domain bench/experiments/ingest-floor || echo ' + uncommitted changes'); load average before: $load_before, after: $load_after."
  echo
  cat "$out"
  [[ $status -eq 0 ]] || echo "**The run failed (exit $status)**; see the log above."
  echo
} >> bench/experiments/ingest-floor/RESULTS.md
echo "Appended to bench/experiments/ingest-floor/RESULTS.md" >&2
exit $status
