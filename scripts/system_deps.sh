#!/usr/bin/env bash
# Installs the system libraries the app needs when they are missing: WeasyPrint's Pango, gettext,
# fonts for Latin, CJK and Arabic labels, and (with --browser) Debian's chromium for the browser tests.
# Needs root for apt-get; without root it only reports what is missing.
set -euo pipefail

packages=()
need() { dpkg -s "$1" >/dev/null 2>&1 || packages+=("$1"); }

need libpango-1.0-0
need libpangoft2-1.0-0
need gettext
need fonts-dejavu-core
need fonts-noto-core
need fonts-noto-cjk
if [[ "${1:-}" == "--browser" ]]; then
  need chromium
  need poppler-utils
fi

if [[ ${#packages[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Missing system packages: ${packages[*]}. Install them with: sudo apt-get install ${packages[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
