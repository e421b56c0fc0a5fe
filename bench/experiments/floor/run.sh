#!/usr/bin/env bash
# The "floor" server (this folder) under the answer-save benchmark: builds it, then runs bench/run.sh against it (API_DLL), with
# the raw-socket load generator unless told otherwise. Same harness, same pgbench comparison, same durability check.
#   bench/experiments/floor/run.sh                                   one insert per request, 8 and 32 clients, 20 s windows
#   bench/experiments/floor/run.sh --api-env Floor__Mode=group       group commit (Floor__Writers=2, Floor__BatchSize=64 by default)
#   bench/experiments/floor/run.sh --clients 8 --duration 5          a smoke run
#   FLOOR_CLIENT=httpclient bench/experiments/floor/run.sh           the HttpClient load generator (bench/run.sh --httpclient)
# RESULTS=path says where the results go (default /tmp/floor-results.md; bench/results.md is never touched).
# The round-trip analysis (--probe) reads Marten's tables, so it is always off here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
echo "== building the floor server (Release)" >&2
dotnet build "$here/Floor.csproj" -c Release --artifacts-path "$repo/bench/.artifacts" -nologo -v q -clp:ErrorsOnly >&2
client=() # bench/run.sh's default: the raw-socket client
[[ "${FLOOR_CLIENT:-raw}" == httpclient ]] && client=(--httpclient)
API_DLL="$repo/bench/.artifacts/bin/Floor/release/Floor.dll" RESULTS="${RESULTS:-/tmp/floor-results.md}" \
  "$repo/bench/run.sh" --no-probe "${client[@]}" "$@"
