#!/usr/bin/env bash
# Debian/Ubuntu packages the app and the tests need. Skips what is installed;
# without root it prints the apt command instead of failing the build.
set -euo pipefail
want=(python3-venv python3-dev g++ cmake libsndfile1 libportaudio2 fonts-noto-cjk)
if [ "${1:-}" = "--test" ]; then
  # A real sound server for the system-audio tests; pactl/parec also record system audio.
  want=(pulseaudio pulseaudio-utils)
elif [ "${1:-}" = "--gui" ]; then
  want+=(libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
         libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libdbus-1-3
         libpulse0 libglib2.0-0 libfontconfig1 libasound2 xvfb pulseaudio-utils)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "note: not a Debian/Ubuntu system; install the equivalents of: ${missing[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "note: run as root: apt-get install -y ${missing[*]}" >&2; exit 0; fi
fi
echo "installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
