#!/usr/bin/env bash
# Prints the path of Postfix's smtp-sink, the SMTP receiver of the dispatch benchmark. Debian ships it in the postfix package; so
# as not to install (and start) a mail system, only the package's files are extracted, into bench/dispatch/.tools/postfix, when
# /usr/sbin/smtp-sink is not there already. Nothing listens on port 25 and no postfix daemon runs afterwards.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -x /usr/sbin/smtp-sink ]]; then echo /usr/sbin/smtp-sink; exit 0; fi
tools="$PWD/.tools/postfix"
if [[ ! -x "$tools/usr/sbin/smtp-sink" ]]; then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  chmod 755 "$download"
  # apt-get download fetches the .deb without installing it; the package lists are refreshed once when it is unknown
  (cd "$download" && { DEBIAN_FRONTEND=noninteractive apt-get download -q postfix >&2 2>/dev/null \
    || { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get download -q postfix >&2; }; })
  mkdir -p "$tools"
  dpkg-deb -x "$download"/postfix_*.deb "$tools"
fi
echo "$tools/usr/sbin/smtp-sink"
