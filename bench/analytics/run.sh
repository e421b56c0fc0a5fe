#!/usr/bin/env bash
# Analytics benchmark: seeds a synthetic company (1,000 dealers in 20 regions; 1,000,000 operational events, 400,000 invitations and
# 300,000 completed responses over 12 months at --scale 1; default --scale 0.1), starts the real API (Release, own process) on it,
# measures the async daemon's catch-up, then times all dealer scorecards for one month plus the national league table against a
# hand-written SQL computing NPS per dealer from the same events. Writes bench/analytics/RESULTS.md.
#   bench/analytics/run.sh                 10% seed (a few minutes)
#   bench/analytics/run.sh --scale 1       the full seed
#   --data DIR   keep the cluster in DIR and reuse its seed next time (A/B of two API builds with --api-dll on one seed; give both
#                builds the same .data/privacy-master.key next to Survey.Api.dll, the API refuses data keys wrapped with another key)
#   --trace      add statements and PostgreSQL server time per request (one extra call each, every statement logged)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
artifacts="$repo/bench/analytics/.artifacts"
scripts/prerequisites.sh
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet build bench/analytics/AnalyticsBench.csproj -c Release --artifacts-path "$artifacts" -nologo -v q -clp:ErrorsOnly >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
dotnet "$artifacts/bin/AnalyticsBench/release/AnalyticsBench.dll" --api-dll "$artifacts/bin/Survey.Api/release/Survey.Api.dll" --out "$out" "$@"
{
  echo "## Run $(date -u '+%Y-%m-%d %H:%M UTC'): \`bench/analytics/run.sh${*:+ $*}\`"
  echo
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Survey.Api Survey.Domain || echo ' + uncommitted changes'), load average before: $load_before (other engineers' builds and tests share the machine)."
  echo
  cat "$out"
  echo
} >> bench/analytics/RESULTS.md
echo "Appended to bench/analytics/RESULTS.md" >&2
