#!/usr/bin/env bash
# CPU cost of the personal-data envelope (AES-GCM seal/open, key unwrap, blind index). ~30 s on 2 cores.
set -euo pipefail
cd "$(dirname "$0")"
dotnet run -c Release --project Privacy.csproj -o ../.artifacts/privacy
