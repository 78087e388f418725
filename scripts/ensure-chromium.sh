#!/usr/bin/env bash
# Browser tests use Debian's Chromium (never a downloaded browser build). Install it when we can, else say how.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found at $browser; installing Debian's chromium package…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  [ -x "$browser" ] && exit 0
fi
echo "Browser tests need Chromium: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH to a Chromium binary)." >&2
exit 1
