#!/usr/bin/env bash
# Answer-save benchmark: the real API (Release, own process) saving ~600-byte answer pages through
# POST /api/public/responses/{id}/saves, against pgbench inserting a JSONB row of the same size, on one private
# PostgreSQL cluster, at 8 and 32 clients. Prints a markdown table and writes bench/results.md (date, machine, figures).
# Takes about 3 minutes on 2 cores (the first build longer). Extra arguments go to the load generator, e.g.
#   bench/run.sh --clients 8 --duration 10          a quicker run
#   bench/run.sh --no-probe                          skip the round-trip analysis
#   bench/run.sh --pg-statements                     what PostgreSQL spent each window on (pg_stat_statements, with planning time)
#   BENCH_KEEP=1 bench/run.sh --auto-explain 2       plans of statements slower than 2 ms into the kept scratch folder's pg.log
#   bench/run.sh --no-analyze                        no ANALYZE after the JIT warm-up (plans cached on the near-empty tables stay)
#   bench/run.sh --httpclient                        .NET's HttpClient as the load generator instead of the default raw sockets
#                                                    (one blocking thread per client, like pgbench's client; --raw-http says the default)
#   bench/run.sh --jit-warmup 30 --jit-warmup-max 180   JIT warm-up: at least 30 s, then until the API's tiered-compilation
#                                                    thread is nearly idle, at most 180 s (the defaults; longer on a busy machine)
#   bench/run.sh --connection-extra "Max Auto Prepare=20"   extra Npgsql connection string settings for the API
#   bench/run.sh --pg-set wal_compression=lz4       a PostgreSQL setting for the run (alter system + restart; repeatable)
#   bench/run.sh --api-env DOTNET_gcServer=0         an environment variable for the API process (repeatable)
#   API_DLL=/path/to/Survey.Api.dll bench/run.sh     benchmark another build of the API (an experiment on a copy)
#   BENCH_SOURCE=HEAD bench/run.sh                   build the API from a committed revision instead of the working tree
#                                                    (reproducible while others edit the tree; results.md names the commit)
# RESULTS=path (default bench/results.md) says where the results go.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
artifacts="$repo/bench/.artifacts"
results="${RESULTS:-$repo/bench/results.md}"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

scripts/prerequisites.sh
command -v pgbench >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pgbench" >/dev/null || {
  echo "pgbench is missing (Debian: apt-get install postgresql-client)" >&2; exit 1; }

src=$repo
revision="working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Survey.Api Survey.Domain || echo ' + uncommitted changes in Survey.Api/Survey.Domain')"
if [[ -n "${BENCH_SOURCE:-}" ]]; then
  # a clean copy of that revision (this bench/ folder on top), built in its own folder
  rev=$(git rev-parse --short "$BENCH_SOURCE")
  src="$repo/bench/.artifacts/src-$rev"
  if [[ ! -f "$src/.exported" ]]; then
    rm -rf "$src" && mkdir -p "$src"
    git archive "$rev" | tar -x -C "$src"
    touch "$src/.exported"
  fi
  rm -rf "$src/bench" && mkdir -p "$src/bench" && cp -r bench/SaveLoad bench/Probe "$src/bench/"
  artifacts="$src/.artifacts"
  revision="commit $rev"
fi

echo "== building (Release) into ${artifacts#$repo/}" >&2
# Own artifacts folder: the API is built apart from the bin/obj folders that tests and other builds use.
dotnet build "$src/bench/SaveLoad/SaveLoad.csproj" -c Release --artifacts-path "$artifacts" -nologo -v q -clp:ErrorsOnly >&2
dotnet build "$src/bench/Probe/Probe.csproj" -c Release --artifacts-path "$artifacts" -nologo -v q -clp:ErrorsOnly >&2
api_dll="${API_DLL:-$artifacts/bin/Survey.Api/release/Survey.Api.dll}"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
dotnet "$artifacts/bin/SaveLoad/release/SaveLoad.dll" --api-dll "$api_dll" --out "$out" "$@"

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
  echo "# Answer-save benchmark results"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') with \`bench/run.sh${*:+ $*}\` on $(nproc) cores ($cpu_model), $(free -g | awk '/Mem:/ {print $2}') GB RAM," \
       "$(. /etc/os-release && echo "$PRETTY_NAME"), .NET $(dotnet --version), $(pgbench --version 2>/dev/null || echo pgbench)," \
       "API built from the $revision," \
       "load average before the run: $load_before."
  [[ -n "${API_DLL:-}" ]] && echo && echo "API under test: \`$API_DLL\`."
  echo
  cat "$out"
} >"$results"
echo >&2
echo "Written to ${results#$repo/}" >&2
