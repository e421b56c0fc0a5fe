#!/usr/bin/env bash
# CPU per operation (thread CPU time, so the machine's load matters little) of the sealing, blind indexes and phone parsing that
# ingestion does per customer, for this tree's Survey.Domain and, with --old COMMIT, that commit's, run alternately.
#   bench/ingest/micro/run.sh [--old COMMIT] [--rounds N] [--n ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
old= rounds=2 n=100000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --old) old=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out=bench/ingest/micro/.artifacts
dotnet build bench/ingest/micro/Micro.csproj -c Release --artifacts-path "$out/new" -nologo -v q -clp:ErrorsOnly >&2
if [[ -n "$old" ]]; then
  src=$out/src-$(git rev-parse --short "$old")
  [[ -d "$src" ]] || { mkdir -p "$src" && git archive "$old" Survey.Domain Directory.Build.props Directory.Packages.props nuget.config | tar -x -C "$src"; }
  dotnet build bench/ingest/micro/Micro.csproj -c Release --artifacts-path "$out/old" -p:DomainProject="$PWD/$src/Survey.Domain/Survey.Domain.csproj" -nologo -v q -clp:ErrorsOnly >&2
fi
for round in $(seq 1 "$rounds"); do
  [[ -z "$old" ]] || { echo "== round $round: Survey.Domain of $old"; dotnet "$out/old/bin/Micro/release/Micro.dll" "$n"; }
  echo "== round $round: this tree"; dotnet "$out/new/bin/Micro/release/Micro.dll" "$n"
done
