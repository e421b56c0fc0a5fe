#!/usr/bin/env bash
# Interleaved A/B of the ingest benchmark: the API of another commit (default: main) and of this tree, run one after the other,
# alternately, with the same bench and the same arguments, so that both see the same machine load.
#   bench/ingest/ab.sh [--old COMMIT] [--rounds N] [bench arguments...]
#   bench/ingest/ab.sh --old main --rounds 2 --rows 50000 --warmup-rows 20000 --webhook-rows 1000 --api-env DOTNET_TieredCompilation=0
#   bench/ingest/ab.sh --old-dll DIR/Survey.Api.dll --old-label 85fb814 ...   an API built already (a copy of an earlier build)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
old=main rounds=2 old_dll= old_label=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --old) old=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --old-dll) old_dll=$(realpath "$2"); shift 2 ;;
    --old-label) old_label=$2; shift 2 ;;
    *) break ;;
  esac
done
commit=${old_label:-$(git rev-parse --short "$old")}
src="$repo/bench/ingest/.ab/$commit"
if [[ -z "$old_dll" && ! -f "$src/.built" ]]; then
  rm -rf "$src" && mkdir -p "$src"
  git archive "$commit" | tar -x -C "$src"
  # the widgets are the same front end: their built bundle is reused instead of running npm in the copy
  cp -a Survey.Widgets/dist "$src/Survey.Widgets/" 2>/dev/null || true
  dotnet build "$src/Survey.Api/Survey.Api.csproj" -c Release --artifacts-path "$src/.artifacts" -nologo -v q -clp:ErrorsOnly >&2
  touch "$src/.built"
fi
old_dll=${old_dll:-$src/.artifacts/bin/Survey.Api/release/Survey.Api.dll}
for round in $(seq 1 "$rounds"); do
  echo "A/B round $round: $commit" >&2
  BENCH_API_DLL="$old_dll" BENCH_LABEL="A/B round $round: API of $commit" bench/ingest/run.sh "$@" || true
  echo "A/B round $round: this tree" >&2
  BENCH_LABEL="A/B round $round: API of this tree ($(git rev-parse --short HEAD))" bench/ingest/run.sh "$@" || true
done
