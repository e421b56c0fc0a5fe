#!/usr/bin/env bash
# Installs what a fresh Debian machine with the .NET 10 SDK lacks to run or test the product. Idempotent.
set -euo pipefail

need=()
have_pg_server() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
have_pg_server || need+=(postgresql)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# browser tests drive Debian's chromium; CJK text needs a CJK font
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# (grep reads all of fc-list's output: with -q it would stop at the first match, fc-list would die of SIGPIPE and pipefail
# would call the font missing, so every run ran apt-get update)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
# PDF reports: pdftoppm renders report pages to PNG for a person to look at (docs/reports)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# the e-mail tests deliver to a real SMTP server process (Debian's aiosmtpd, run with Debian's own python3)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need+=(python3-aiosmtpd)

if ((${#need[@]})); then
  echo "Installing Debian packages: ${need[*]}"
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian's package starts its own cluster; ours are private, so that one is not needed.
  "${SUDO[@]}" service postgresql stop >/dev/null 2>&1 || true
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dotnet.microsoft.com/download)." >&2
  exit 1
fi
