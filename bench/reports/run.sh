#!/usr/bin/env bash
# PDF region reports for a synthetic company: pages/s, dealers/s, peak memory, and 250/500/1000 dealers for linearity.
# Usage: bench/reports/run.sh [dealers...]   (default 250 500 1000, always 20 regions). About 2-4 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -v q -nologo ReportBench.csproj >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v dotnet bin/Release/net10.0/ReportBench.dll "$@" 2> >(grep -E "Maximum resident|Elapsed|cpu " >&2)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
