#!/usr/bin/env bash
# Starts the API on http://127.0.0.1:5080 with its own PostgreSQL cluster under .data/postgres
# (or the server in ConnectionStrings__Postgres). Extra arguments go to the API, e.g. --urls.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh
exec dotnet run --project Survey.Api -c Release -- \
  --urls "${SURVEY_URLS:-http://127.0.0.1:5080}" \
  --Storage:EmbeddedDataDirectory="${SURVEY_DATA:-$PWD/.data/postgres}" "$@"
