#!/usr/bin/env bash
# install-deps.sh — install what building, running and testing Castdesk needs,
# and nothing that is already there (safe to run again and again):
#   Debian packages (apt-get, only when one is missing), Go modules,
#   node_modules of frontend/ and e2e/ (npm ci, only when missing or older
#   than package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { echo "==> $*"; }

# Go lives in /usr/local/go on these machines; a non-login shell may not have it.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
die() { echo "install-deps.sh: $*" >&2; exit 1; }

PACKAGES=(
  build-essential pkg-config          # cgo (go-sqlite3, Wails)
  libgtk-3-dev libwebkit2gtk-4.1-dev  # the Wails window (webkit2_41 tag)
  xvfb xauth xdotool imagemagick      # desktop window test: display, find, screenshot
  tesseract-ocr                       # desktop window test: reads the menu and About
  dbus dbus-x11 gnome-keyring libsecret-tools  # a real Secret Service for tests
  chromium                            # browser for the e2e tests (no download)
  curl                                # scripts/api-e2e.sh
  nginx caddy openssl python3         # scripts/proxy-test.sh: serve behind a TLS reverse proxy
)
# make dist and its tests (scripts/dist.sh, deb-test.sh, wine-smoke-test.sh),
# installed without Recommends (Wine's would add some 100 MB of fonts and codecs).
PACKAGING=(
  dpkg-dev lintian desktop-file-utils appstream man-db  # the .deb: Depends, checks
  librsvg2-bin                                         # icons from build/appicon.svg
  gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis  # the Windows build and installer
  wine wine64                                          # the Windows smoke test
)

step "system packages: checking $((${#PACKAGES[@]} + ${#PACKAGING[@]})) packages"
missing=()
missing_packaging=()
for p in "${PACKAGES[@]}" "${PACKAGING[@]}"; do
  # "install ok installed" only; half-installed or removed ones count as missing.
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    if [[ " ${PACKAGING[*]} " == *" $p "* ]]; then missing_packaging+=("$p"); else missing+=("$p"); fi
  fi
done
if [ $((${#missing[@]} + ${#missing_packaging[@]})) -eq 0 ]; then
  step "system packages: all present"
else
  step "system packages: installing ${missing[*]} ${missing_packaging[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "not root and no sudo: install these packages yourself: ${missing[*]} ${missing_packaging[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  # With Recommends (the default): they bring the fonts Chromium and WebKit draw with.
  # Another apt/dpkg run (unattended-upgrades, a colleague) holds the lock: wait for it.
  apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -o Dpkg::Use-Pty=0)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update -q || die "apt-get update failed"
  if [ ${#missing[@]} -gt 0 ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -q "${missing[@]}" \
      || die "apt-get install failed for: ${missing[*]}"
  fi
  if [ ${#missing_packaging[@]} -gt 0 ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -q --no-install-recommends \
      "${missing_packaging[@]}" || die "apt-get install failed for: ${missing_packaging[*]}"
  fi
fi

step "go: $(go version 2>/dev/null || echo missing)"
command -v go >/dev/null || die "go is not on PATH (expected Go 1.26 at /usr/local/go/bin)"
step "go mod download"
go mod download || die "go mod download failed"

command -v npm >/dev/null || die "npm is not on PATH (node 20 / npm expected)"
for dir in frontend e2e; do
  if [ ! -f "$dir/package.json" ]; then
    step "$dir: no package.json, skipped"
  elif [ -d "$dir/node_modules" ] && ! [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "$dir: node_modules present and in step with package-lock.json"
  else
    step "$dir: npm ci"
    (cd "$dir" && npm ci --no-audit --no-fund) || die "npm ci failed in $dir/"
  fi
done
step "dependencies ready"
