#!/usr/bin/env bash
# Debian/Ubuntu packages the app (--gui) or the tests (--test) need, installed before
# the venv is made (python3-venv, the compiler for llama.cpp). Skips what is installed.
# Without root or sudo it stops with the exact command to run; on another system it
# names what to install and lets the build go on.
set -euo pipefail
want=(python3-venv python3-dev g++ cmake libsndfile1 libportaudio2 fonts-noto-cjk)
if [ "${1:-}" = "--test" ]; then
  # A real sound server for the system-audio tests; pactl/parec also record system audio.
  want=(pulseaudio pulseaudio-utils)
elif [ "${1:-}" = "--gui" ]; then
  # "a|b": whichever the release has (Debian 13 and Ubuntu 24.04 renamed these for 64-bit time).
  want+=(libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
         libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libdbus-1-3
         libpulse0 "libglib2.0-0t64|libglib2.0-0" libfontconfig1 "libasound2t64|libasound2"
         xvfb xauth pulseaudio-utils)
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
offered() { [ -n "$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)')" ]; }

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "note: not a Debian/Ubuntu system; install the equivalents of: ${want[*]//|/ or }" >&2
  exit 0
fi
missing=()
for p in "${want[@]}"; do
  IFS='|' read -r -a alts <<<"$p"
  have=""
  for a in "${alts[@]}"; do installed "$a" && have=1 && break; done
  [ -z "$have" ] && missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# "a|b": the first name the package lists offer (the last one when they offer none).
choose() {
  chosen=()
  for p in "${missing[@]}"; do
    IFS='|' read -r -a alts <<<"$p"
    pick="${alts[-1]}"
    for a in "${alts[@]}"; do offered "$a" && pick="$a" && break; done
    chosen+=("$pick")
  done
}

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    sudo="sudo"
  else
    choose
    echo "error: these system packages are missing, and installing them needs root:" >&2
    echo "  su -c 'apt-get update && apt-get install -y --no-install-recommends ${chosen[*]}'" >&2
    echo "then run make again." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "updating the package lists…" >&2
$sudo apt-get update -qq || echo "warning: apt-get update failed; using the package lists there are" >&2
choose
echo "installing system packages: ${chosen[*]}" >&2
$sudo apt-get install -y -qq --no-install-recommends "${chosen[@]}"
