#!/usr/bin/env bash
# deb-test.sh — the Linux packages that scripts/dist.sh made, checked and used:
#
#   scripts/deb-test.sh check     lintian (no errors), desktop-file-validate,
#                                 appstreamcli validate, man --warnings, and the
#                                 .deb and the tarball made again give the same bytes
#   scripts/deb-test.sh install   (root) apt-get install ./dist/castdesk_*.deb on
#                                 this machine; the system user, data dir and unit
#                                 are there, the unit is neither enabled nor started;
#                                 systemd-analyze verify; /usr/bin/castdesk serve as
#                                 the user castdesk on /var/lib/castdesk: health,
#                                 setup, login; then apt-get purge leaves nothing
#                                 but the system user
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "deb-test.sh: $*" >&2; exit 1; }
step() { echo "==> $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "  ok  $*"; }

VERSION=${VERSION:-$(scripts/version.sh)}
COMMIT=${COMMIT:-$(scripts/version.sh --commit)}
OUT=${DIST_DIR:-$root/dist}
deb="$OUT/castdesk_${VERSION}_amd64.deb"
tarball="$OUT/castdesk-${VERSION}-linux-amd64.tar.gz"
[ -f "$deb" ] || die "$deb is missing: scripts/dist.sh linux"
want="castdesk $VERSION"
[ -n "$COMMIT" ] && want="$want (commit $COMMIT)"

work=$(mktemp -d "${TMPDIR:-/tmp}/castdesk-deb.XXXXXX")
server_pid=
installed_here=0
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$installed_here" = 1 ] && dpkg-query -W castdesk >/dev/null 2>&1; then
    echo "deb-test.sh: purging the castdesk package this test installed" >&2
    DEBIAN_FRONTEND=noninteractive dpkg --purge castdesk >/dev/null 2>&1 || true
  fi
  if [ "${keep_logs:-0}" = 1 ] && [ -d artifacts ]; then
    mkdir -p artifacts/deb && cp "$work"/*.log artifacts/deb/ 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'keep_logs=1' ERR

check() {
  command -v lintian >/dev/null || die "lintian is missing: apt-get install lintian"
  command -v desktop-file-validate >/dev/null || die "desktop-file-validate is missing: apt-get install desktop-file-utils"
  command -v appstreamcli >/dev/null || die "appstreamcli is missing: apt-get install appstream"

  step "lintian $(basename "$deb")"
  # lintian warns that it runs as root (CI does); its verdict is in the tags.
  lintian -I --pedantic "$deb" >"$work/lintian.log" 2>&1 || true
  grep -v 'running with root privileges' "$work/lintian.log" | sed 's/^/    /' || true
  local e w i p
  e=$(grep -c '^E:' "$work/lintian.log" || true)
  w=$(grep -c '^W:' "$work/lintian.log" || true)
  i=$(grep -c '^I:' "$work/lintian.log" || true)
  p=$(grep -c '^P:' "$work/lintian.log" || true)
  echo "    lintian: $e errors, $w warnings, $i info, $p pedantic"
  [ "$e" = 0 ] || fail "lintian found errors"
  ok "lintian: no errors"

  mkdir -p "$work/x"
  dpkg-deb -x "$deb" "$work/x"
  desktop-file-validate "$work/x/usr/share/applications/castdesk.desktop" || fail "desktop-file-validate"
  ok "desktop-file-validate usr/share/applications/castdesk.desktop"
  appstreamcli validate --no-net "$work/x/usr/share/metainfo/io.castdesk.Castdesk.metainfo.xml" >"$work/appstream.log" 2>&1 \
    || { cat "$work/appstream.log"; fail "appstreamcli validate"; }
  ok "appstreamcli validate: $(grep -o 'Validation was successful.*' "$work/appstream.log" || tail -n1 "$work/appstream.log")"
  if command -v man >/dev/null; then
    local warnings
    warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$work/x/usr/share/man/man1/castdesk.1.gz" 2>&1 >/dev/null || true)
    [ -z "$warnings" ] || fail "man --warnings: $warnings"
    ok "man --warnings castdesk.1: none"
  fi
  for s in 16 22 24 32 48 64 128 256 512; do
    f="$work/x/usr/share/icons/hicolor/${s}x${s}/apps/castdesk.png"
    [ -f "$f" ] || fail "no ${s}x${s} icon"
    [ "$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$f")" = "${s}x${s}" ] \
      || fail "the ${s}x${s} icon has another size"
  done
  ok "hicolor icons 16..512 (PNG sizes as named) and scalable"

  step "reproducible packages: make them again and compare"
  local a b
  CASTDESK="$root/bin/castdesk" DIST_DIR="$work/again" scripts/dist.sh linux >"$work/dist-again.log" 2>&1 \
    || { cat "$work/dist-again.log"; fail "scripts/dist.sh linux (again) failed"; }
  for f in "$deb" "$tarball"; do
    a=$(sha256sum <"$f" | cut -d' ' -f1)
    b=$(sha256sum <"$work/again/$(basename "$f")" | cut -d' ' -f1)
    [ "$a" = "$b" ] || fail "$(basename "$f") differs when made again: $a vs $b"
    ok "$(basename "$f") $a"
  done
}

install_test() {
  if [ "$(id -u)" -ne 0 ]; then
    die "installing the package needs root (CI runs as root): sudo scripts/deb-test.sh install"
  fi
  if dpkg-query -W -f='${Status}' castdesk 2>/dev/null | grep -q 'ok installed'; then
    [ ! -e /var/lib/castdesk/castdesk.db ] \
      || die "castdesk is installed here and /var/lib/castdesk holds a database: not touching it (purge it yourself)"
    step "a castdesk package is already installed (an earlier run?): purging it first"
    dpkg --purge castdesk >/dev/null
  fi

  step "apt-get install $(basename "$deb")"
  installed_here=1
  local apt_opts=(-o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 -o APT::Sandbox::User=root)
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -q --no-install-recommends "$deb" \
    >"$work/apt-install.log" 2>&1 || { cat "$work/apt-install.log"; fail "apt-get install"; }
  [ "$(dpkg-query -W -f='${Status} ${Version}' castdesk)" = "install ok installed $VERSION" ] || fail "not installed"
  ok "dpkg: castdesk $VERSION installed ok"
  # --version opens no window and leaves the data directory alone: run it
  # with an empty home and no display, and nothing may appear there.
  mkdir -p "$work/home"
  got=$(env -u DISPLAY -u WAYLAND_DISPLAY HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" /usr/bin/castdesk --version)
  [ "$got" = "$want" ] || fail "/usr/bin/castdesk --version: $got"
  [ -z "$(ls -A "$work/home")" ] || fail "castdesk --version wrote into its home: $(ls -A "$work/home")"
  ok "/usr/bin/castdesk --version: $want (no display needed, nothing written)"

  local uid shell
  uid=$(getent passwd castdesk | cut -d: -f3) || fail "no user castdesk"
  shell=$(getent passwd castdesk | cut -d: -f7)
  [ "$uid" -lt 1000 ] || fail "castdesk is not a system user (uid $uid)"
  case $shell in */nologin | */false) ;; *) fail "castdesk can log in (shell $shell)" ;; esac
  ok "system user castdesk (uid $uid, shell $shell)"
  [ "$(stat -c '%U:%G %a' /var/lib/castdesk)" = "castdesk:castdesk 750" ] || fail "/var/lib/castdesk: $(stat -c '%U:%G %a' /var/lib/castdesk)"
  ok "/var/lib/castdesk castdesk:castdesk 750"
  [ -f /lib/systemd/system/castdesk.service ] || fail "no castdesk.service"
  for wants in /etc/systemd/system/*.wants/castdesk.service; do
    [ ! -e "$wants" ] || fail "the unit was enabled on install: $wants"
  done
  if command -v systemctl >/dev/null; then
    state=$(systemctl is-enabled castdesk.service 2>/dev/null || true)
    [ "$state" = disabled ] || fail "systemctl is-enabled castdesk: $state"
    ok "castdesk.service installed, is-enabled: $state"
  fi
  if pgrep -u castdesk >/dev/null; then fail "a castdesk process runs right after install"; fi
  ok "nothing started on install"
  if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /lib/systemd/system/castdesk.service >"$work/verify.log" 2>&1 \
      || { cat "$work/verify.log"; fail "systemd-analyze verify castdesk.service"; }
    ok "systemd-analyze verify castdesk.service"
  fi
  man -w castdesk >/dev/null 2>&1 || fail "man castdesk: not found"
  ok "man castdesk: $(man -w castdesk)"

  step "castdesk serve as the user castdesk on /var/lib/castdesk (the unit's ExecStart)"
  runuser -u castdesk -- /usr/bin/castdesk serve --data /var/lib/castdesk --addr 127.0.0.1:0 >"$work/server.log" 2>&1 &
  server_pid=$!
  local base=
  for _ in $(seq 1 100); do
    base=$(sed -n 's#.*serving at \(http://[0-9.:]*\)/.*#\1#p' "$work/server.log" | head -n1)
    [ -n "$base" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "castdesk serve stopped"; }
    sleep 0.1
  done
  [ -n "$base" ] || { cat "$work/server.log"; fail "castdesk serve printed no URL"; }
  echo "  serving at $base"
  local pw='Deb-Install-Passw0rd!' status
  curl_json() { # METHOD PATH [JSON] -> "STATUS BODY"
    local args=(-sS -o "$work/body" -w '%{http_code}' -X "$1" -b "$work/cookies" -c "$work/cookies" -H 'X-Requested-With: castdesk')
    [ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data "$3")
    curl "${args[@]}" "$base$2"
  }
  status=$(curl_json GET /api/v1/health)
  [ "$status" = 200 ] && grep -q '"needs_setup":true' "$work/body" || fail "health: $status $(cat "$work/body")"
  ok "GET /api/v1/health -> 200, needs setup"
  status=$(curl_json POST /api/v1/setup "{\"username\":\"admin\",\"password\":\"$pw\",\"password_confirm\":\"$pw\",\"name\":\"Deb Admin\",\"email\":\"admin@example.org\"}")
  [ "$status" = 201 ] || fail "setup: $status $(cat "$work/body")"
  ok "POST /api/v1/setup -> 201"
  rm -f "$work/cookies"
  status=$(curl_json POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$pw\"}")
  [ "$status" = 200 ] || fail "login: $status $(cat "$work/body")"
  status=$(curl_json GET /api/v1/auth/me)
  [ "$status" = 200 ] && grep -q '"username":"admin"' "$work/body" || fail "me: $status $(cat "$work/body")"
  ok "POST /api/v1/auth/login -> 200, GET /api/v1/auth/me -> admin"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  grep -q 'Castdesk stopped' "$work/server.log" || { cat "$work/server.log"; fail "no clean stop on SIGTERM"; }
  ok "stopped cleanly on SIGTERM"
  [ "$(stat -c %U /var/lib/castdesk/castdesk.db)" = castdesk ] || fail "castdesk.db is not the user's"
  [ -z "$(find /var/lib/castdesk ! -user castdesk -print -quit)" ] || fail "files not owned by castdesk in /var/lib/castdesk"
  ok "/var/lib/castdesk: $(cd /var/lib/castdesk && ls | tr '\n' ' ')(all owned by castdesk)"

  step "apt-get purge castdesk"
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" purge -y -q castdesk >"$work/apt-purge.log" 2>&1 \
    || { cat "$work/apt-purge.log"; fail "apt-get purge"; }
  installed_here=0
  if dpkg-query -W -f='${Status}' castdesk 2>/dev/null | grep -qv 'not-installed'; then
    fail "still known to dpkg: $(dpkg-query -W -f='${Status}' castdesk)"
  fi
  for f in /usr/bin/castdesk /lib/systemd/system/castdesk.service /usr/share/applications/castdesk.desktop \
    /usr/share/doc/castdesk /var/lib/castdesk; do
    [ ! -e "$f" ] || fail "$f is still there after purge"
  done
  ok "purged: program, unit, desktop entry, docs and /var/lib/castdesk gone (the system user stays, as Debian does)"
}

case ${1:-} in
  check) check ;;
  install) install_test ;;
  *) die "usage: scripts/deb-test.sh check|install" ;;
esac
echo "==> deb-test $1: all passed"
