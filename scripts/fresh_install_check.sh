#!/usr/bin/env bash
# The README's two commands on a machine as a newcomer meets it: for each Debian release
# named (default: bookworm trixie), build a minimal root with debootstrap, copy the
# checkout's committed files in, install only python3 and make, then run
#   make run    (checked: the app is still running under Xvfb after 90 s and has loaded its window)
#   make test   (the whole suite)
# and write the times and results to $WORK/report.md. Needs root (debootstrap, chroot,
# mounts), the network to Debian's and PyPI's registries, and about 1 h per release on
# 2 cores; run it before a release and after changing the Makefile, the set-up scripts
# or the dependencies, not on every CI run.
#
#   sudo scripts/fresh_install_check.sh [bookworm|trixie ...]
#
# Environment: WORK (default /var/tmp/minutes-fresh), MIRROR (Debian mirror), SHARED (a
# folder with data/speech, mounted read-only beside the checkout so the real-speech tests
# run; default ../shared when present), EXTRA_CA (PEM file(s) of a TLS-intercepting proxy,
# given to pip as PIP_CERT; default: the host's /usr/local/share/ca-certificates/*.crt).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/var/tmp/minutes-fresh}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SHARED="${SHARED:-$repo/../shared}"
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(bookworm trixie)
[ "$(id -u)" -eq 0 ] || { echo "run as root: sudo $0 ${suites[*]}" >&2; exit 1; }
for tool in debootstrap chroot git; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$WORK"
report="$WORK/report.md"
echo "# Fresh install check, $(date -u +%F) (commit $(git -C "$repo" rev-parse --short HEAD))" >"$report"
echo "| release | debootstrap | python3 + make | make run (install) | app starts | make test |" >>"$report"
echo "|---|---:|---:|---:|---|---|" >>"$report"

unmount_all() {  # stop what still runs inside $1 (the app, test servers), then unmount
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$1" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
  done
  { findmnt -rn -o TARGET | grep -F "$1/" || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
}

remove_root() {  # never deletes while something is still mounted inside (e.g. the host's /dev)
  unmount_all "$1"
  if findmnt -rn -o TARGET | grep -qF "$1/"; then
    echo "refusing to delete $1: still mounted inside" >&2; exit 1
  fi
  rm -rf "$1"
}

seconds() { local t0=$1; echo $(( $(date +%s) - t0 )); }

for suite in "${suites[@]}"; do
  root="$WORK/$suite"
  log="$WORK/$suite.log"
  : >"$log"
  echo "== $suite: $root (log: $log)"
  remove_root "$root"
  trap 'unmount_all "$root"' EXIT
  t=$(date +%s)
  debootstrap --variant=minbase "$suite" "$root" "$MIRROR" >>"$log" 2>&1
  t_boot=$(seconds "$t")

  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  mkdir -p "$root/root/minutes" "$root/root/shared"
  git -C "$repo" archive HEAD | tar -x -C "$root/root/minutes"
  [ -d "$SHARED/data" ] && mount --bind -o ro "$SHARED" "$root/root/shared"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  pip_cert=""
  extra=("${EXTRA_CA:-/usr/local/share/ca-certificates/*.crt}")
  # shellcheck disable=SC2068
  if ls ${extra[@]} >/dev/null 2>&1; then
    # shellcheck disable=SC2068
    cat ${extra[@]} >"$root/etc/fresh-check-ca.pem"
    pip_cert="export PIP_CERT=/etc/fresh-check-ca.pem;"
  fi
  in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb bash -c "$pip_cert $1"; }

  t=$(date +%s)
  in_root "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make" >>"$log" 2>&1
  t_base=$(seconds "$t")

  t=$(date +%s)
  # `make run` installs, then starts the app: on this display-less root the install is
  # timed first (make install is make run's first half), then make run starts the app.
  if in_root "cd /root/minutes && make install" >>"$log" 2>&1; then run_ok=ok; else run_ok=FAILED; fi
  t_run=$(seconds "$t")
  app=FAILED
  if [ "$run_ok" = ok ]; then
    in_root "cd /root/minutes && xvfb-run -a timeout 90 make run" >"$WORK/$suite.app.log" 2>&1 && rc=0 || rc=$?
    # 124: still running when timeout stopped it; the window preloads the model once shown.
    if [ "$rc" -eq 124 ] && grep -q "loading Whisper model" "$WORK/$suite.app.log"; then app=ok; fi
  fi

  t=$(date +%s)
  test_result=skipped
  if [ "$run_ok" = ok ]; then
    if in_root "cd /root/minutes && make test" >"$WORK/$suite.test.log" 2>&1; then test_result=passed
    else test_result=FAILED; fi
    test_result="$test_result ($(grep -E '[0-9]+ (passed|failed)' "$WORK/$suite.test.log" | tail -1))"
  fi
  t_test=$(seconds "$t")
  echo "| $suite | ${t_boot} s | ${t_base} s | ${t_run} s ($run_ok) | $app | ${t_test} s: $test_result |" >>"$report"
  unmount_all "$root"
  trap - EXIT
  tail -1 "$report"
done
cat "$report"
