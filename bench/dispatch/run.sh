#!/usr/bin/env bash
# Dispatch benchmark: due invitations sent by the real API (Release, own process; Hangfire's minutely job claims them from the due
# table) to Postfix's smtp-sink (e-mail) and a local Twilio stand-in (SMS), first with nothing else waiting, then with 1,000,000
# invitations waiting for a later time; next to a bare MailKit loop sending the same e-mails to the same server with the same
# parallelism. Invitations seeded through the webhook with two live triggers. Appends to bench/dispatch/RESULTS.md.
#   bench/dispatch/run.sh                      100,000 due per run, 1,000,000 waiting (about 10 minutes on a quiet 2-core machine)
#   bench/dispatch/run.sh --scale 0.02         a smoke run (2,000 due, 20,000 waiting)
#   bench/dispatch/run.sh --invitations 50000 --waiting 1000000 --parallel 16
#   bench/dispatch/run.sh --scale 0.1 --vacuum bench  VACUUM ANALYZE after the bench's own bulk writes, before each run (default: none)
#   bench/dispatch/run.sh --no-analyze         no ANALYZE after the seeding (plans cached while the tables were small stay)
#   bench/dispatch/run.sh --scale 0.3 --perf-map      JIT frames named for `perf record -g -p <API pid>` (bench/experiments/README.md)
# Each run's line "PostgreSQL during run ..." gives buffer hits and reads per invitation and what autovacuum did meanwhile.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
artifacts="$repo/bench/dispatch/.artifacts"
# only PostgreSQL is needed here: the full prerequisites only when it is missing
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || scripts/prerequisites.sh
sink=$(bench/dispatch/smtp-sink.sh)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet build bench/dispatch/DispatchBench.csproj -c Release --artifacts-path "$artifacts" -nologo -v q -clp:ErrorsOnly >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
dotnet "$artifacts/bin/DispatchBench/release/DispatchBench.dll" --api-dll "${BENCH_API_DLL:-$artifacts/bin/Survey.Api/release/Survey.Api.dll}" --smtp-sink "$sink" --out "$out" "$@" || status=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "## Run $(date -u '+%Y-%m-%d %H:%M UTC'): \`bench/dispatch/run.sh${*:+ $*}\`${BENCH_LABEL:+ ($BENCH_LABEL)}"
  echo
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GB, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Survey.Api Survey.Domain || echo ' + uncommitted changes'); load average before: $load_before, after: $load_after."
  echo
  cat "$out"
  [[ $status -eq 0 ]] || echo "**The run failed (exit $status)**; see the log above."
  echo
} >> bench/dispatch/RESULTS.md
echo "Appended to bench/dispatch/RESULTS.md" >&2
exit $status
