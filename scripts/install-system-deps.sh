#!/usr/bin/env bash
# Installs the Debian packages kqlkernel's build and tests need, if any are missing.
set -euo pipefail
pkgs=(
  python3-venv python3-pytest
  python3-jupyter-kernel-test python3-jupyter-client python3-nbclient python3-ipykernel
  jupyter-notebook fonts-liberation chromium
)
missing=()
# The browser tests need node and npm; the image may bring its own instead of Debian's.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
