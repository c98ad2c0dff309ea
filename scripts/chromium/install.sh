#!/usr/bin/env bash
# install.sh - make sure a headless-capable Chromium is on this machine for the
# browser test suite (DTSX_REAL_BROWSER=1), and print the path of its binary.
#
# When no chromium binary is found, Debian's chromium package is installed
# (apt-get, non-interactive; through sudo when not run as root). Running it
# again once Chromium is there changes nothing.
#
#   DTSX_CHROMIUM   path of the Chromium binary to use (found if unset)
set -euo pipefail

find_bin() {
  local b
  for b in "${DTSX_CHROMIUM:-}" chromium chromium-browser google-chrome; do
    if [ -n "$b" ] && command -v "$b" >/dev/null; then command -v "$b"; return 0; fi
  done
  return 1
}

if BIN=$(find_bin); then
  echo "$BIN"
  exit 0
fi

SUDO=
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "install.sh: Chromium is not installed and neither root nor sudo is available; install Debian's chromium package or set DTSX_CHROMIUM" >&2
    exit 1
  fi
  SUDO=sudo
fi

echo "install.sh: installing chromium" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
BIN=$(find_bin) || { echo "install.sh: chromium installed but no binary found on PATH" >&2; exit 1; }
echo "$BIN"
