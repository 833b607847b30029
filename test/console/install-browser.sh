#!/usr/bin/env bash
# Installs what the console's browser tests need: Debian's Chromium (the Playwright browser download
# does not work on an isolated network) and CJK fonts so Chinese pages render in screenshots.
# Idempotent; run by .ci/run and by `npm test` (pretest). Without root or sudo it says what to run.
set -euo pipefail
need=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo -n); else
  echo "The console's browser tests need: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 0 # the browser suite itself fails and says so; every other test can still run
fi
echo "installing ${need[*]} for the console's browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >/dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
