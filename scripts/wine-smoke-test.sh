#!/usr/bin/env bash
# wine-smoke-test.sh — the Windows build, run for real under Wine (Debian 12's
# Wine 8.0, 64-bit, in a throw-away prefix):
#
#   1. castdesk.exe --version prints this build's version;
#   2. castdesk.exe serve: health, setup of the first admin, log in, create a
#      customer, list it — over HTTP with curl, the data in a Windows path;
#   3. the NSIS installer, silent: castdesk.exe in Program Files, the Start
#      menu entry, the uninstaller and its Apps & features entry; the installed
#      program runs; the silent uninstall removes them again.
#
# The window is not tested: it needs the WebView2 runtime, which is not to be
# had offline (README.md says so). The exe tested is the one that ships (the
# -H windowsgui build: Wine hands it the terminal's output all the same).
#
# Wine 8.0 has no ProcessPrng (bcryptprimitives.dll), where Go 1.22+ gets its
# random bytes on Windows; real Windows 10/11 has it. A tiny stand-in
# (scripts/wine/bcryptprimitives.c, forwarding to RtlGenRandom) is built with
# mingw and copied into this test's own prefix only. It is never shipped.
#
#   scripts/wine-smoke-test.sh      after scripts/dist.sh windows
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "wine-smoke-test.sh: $*" >&2; exit 1; }
step() { echo "==> $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

VERSION=${VERSION:-$(scripts/version.sh)}
COMMIT=${COMMIT:-$(scripts/version.sh --commit)}
OUT=${DIST_DIR:-$root/dist}
exe="$OUT/castdesk-${VERSION}-windows-amd64.exe"
installer="$OUT/castdesk-${VERSION}-windows-amd64-installer.exe"
[ -f "$exe" ] || die "$exe is missing: scripts/dist.sh windows"
[ -f "$installer" ] || die "$installer is missing: scripts/dist.sh windows"

wine=$(command -v wine64 || command -v wine || true)
[ -n "$wine" ] || [ ! -x /usr/lib/wine/wine64 ] || wine=/usr/lib/wine/wine64
[ -n "$wine" ] || die "Wine is missing: apt-get install wine wine64"
wineserver=$(command -v wineserver || true)
[ -n "$wineserver" ] || wineserver=/usr/lib/wine/wineserver
command -v x86_64-w64-mingw32-gcc >/dev/null || die "mingw is missing: apt-get install gcc-mingw-w64-x86-64"
command -v curl >/dev/null || die "curl is missing"

work=$(mktemp -d "${TMPDIR:-/tmp}/castdesk-wine.XXXXXX")
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY # nothing here opens a window
cleanup() {
  "$wineserver" -k >/dev/null 2>&1 || true
  if [ "${keep_logs:-0}" = 1 ] && [ -d artifacts ]; then
    mkdir -p artifacts/wine && cp "$work"/*.log artifacts/wine/ 2>/dev/null || true
    cp "$work/data/castdesk.log" artifacts/wine/castdesk-data.log 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'keep_logs=1' ERR

# winrun EXE ARGS...: run under Wine with a time limit.
winrun() { timeout 120 "$wine" "$@"; }

step "Wine prefix ($("$wine" --version 2>/dev/null || echo wine), 64-bit) in $work"
"$wine" wineboot --init >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log" >&2; die "wineboot failed"; }
"$wineserver" -w
# A new Debian Wine 8.0 prefix says Windows 7; the installer wants 10 or later, as Go 1.21+ does.
"$wine" winecfg -v win10 >>"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log" >&2; die "winecfg -v win10 failed"; }
"$wineserver" -w
sys32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$sys32" ] || die "no system32 in the new prefix"

step "test shim: bcryptprimitives.dll (ProcessPrng -> RtlGenRandom), into this prefix only"
x86_64-w64-mingw32-gcc -O2 -s -shared -o "$work/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def
[ -e "$sys32/bcryptprimitives.dll" ] && die "this Wine has its own bcryptprimitives.dll: the shim is not needed any more (remove it)"
cp "$work/bcryptprimitives.dll" "$sys32/"

# --- 1. --version ---------------------------------------------------------------
want="castdesk $VERSION"
[ -n "$COMMIT" ] && want="$want (commit $COMMIT)"
got=$(winrun "$exe" --version 2>"$work/version.log" | tr -d '\r') || { cat "$work/version.log" >&2; fail "castdesk.exe --version failed"; }
[ "$got" = "$want" ] || fail "castdesk.exe --version printed '$got', want '$want'"
echo "  ok  castdesk.exe --version: $got"

# --- 2. serve ---------------------------------------------------------------------
mkdir -p "$work/data"
datadir="Z:${work//\//\\}\\data" # the data dir as Windows sees it: Z:\tmp\...\data
step "castdesk.exe serve --addr 127.0.0.1:0 --data $datadir"
winrun "$exe" serve --addr 127.0.0.1:0 --data "$datadir" >"$work/server.log" 2>&1 &
server_pid=$!
base=
for _ in $(seq 1 300); do
  base=$(sed -n 's#.*serving at \(http://[0-9.:]*\)/.*#\1#p' "$work/server.log" | head -n1)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "castdesk.exe serve stopped"; }
  sleep 0.2
done
[ -n "$base" ] || { cat "$work/server.log" >&2; fail "castdesk.exe serve printed no URL"; }
echo "  serving at $base"

body=
# call NAME WANT METHOD PATH [JSON]: with the cookie jar and the CSRF header.
call() {
  local name=$1 want=$2 method=$3 path=$4 data=${5:-} status
  local args=(-sS -o "$work/body" -w '%{http_code}' -X "$method" -b "$work/cookies" -c "$work/cookies"
    -H 'X-Requested-With: castdesk')
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data "$data")
  status=$(curl "${args[@]}" "$base$path") || fail "$name: curl failed"
  body=$(cat "$work/body")
  echo "$method $path -> $status $body" >>"$work/responses.log"
  [ "$status" = "$want" ] || fail "$name: $method $path answered $status, want $want: $body"
  printf '  ok  %-36s %s %s -> %s\n' "$name" "$method" "$path" "$status"
}
pw='Wine-Smoke-Passw0rd!'
call "health" 200 GET /api/v1/health
case $body in *'"needs_setup":true'*) ;; *) fail "a new data dir should need setup: $body" ;; esac
case $body in *"\"version\":\"$VERSION\""*) ;; *) fail "health does not name version $VERSION: $body" ;; esac
call "setup: the first admin" 201 POST /api/v1/setup \
  "{\"username\":\"admin\",\"password\":\"$pw\",\"password_confirm\":\"$pw\",\"name\":\"Wine Admin\",\"email\":\"admin@example.org\"}"
rm -f "$work/cookies"
call "log in" 200 POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$pw\"}"
call "create a customer" 201 POST /api/v1/customers \
  "{\"username\":\"radio-wine\",\"password\":\"$pw\",\"password_confirm\":\"$pw\",\"name\":\"Radio Wine\",\"email\":\"radio@example.org\"}"
call "list the customers" 200 GET "/api/v1/customers?q=radio-wine"
case $body in *'"username":"radio-wine"'*) ;; *) fail "the new customer is not listed: $body" ;; esac
[ -f "$work/data/castdesk.db" ] || fail "no castdesk.db in the data dir"
[ -d "$work/data/content" ] || fail "no content folder in the data dir"
"$wineserver" -k
wait "$server_pid" 2>/dev/null || true

# --- 3. the installer -------------------------------------------------------------
step "installer: silent install (/S)"
# The installer runs Microsoft's WebView2 bootstrapper when the runtime is
# missing, and that downloads it: say it is there, as on Windows 11.
winrun reg add 'HKLM\SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' \
  /v pv /t REG_SZ /d 120.0.0.0 /f >"$work/reg.log" 2>&1 || { cat "$work/reg.log" >&2; fail "reg add failed"; }
winrun "$installer" /S >"$work/installer.log" 2>&1 || { cat "$work/installer.log" >&2; fail "the installer failed"; }
"$wineserver" -w
pf="$WINEPREFIX/drive_c/Program Files/Castdesk"
menu="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Castdesk.lnk"
[ -f "$pf/castdesk.exe" ] || fail "no castdesk.exe in Program Files\\Castdesk"
cmp -s "$pf/castdesk.exe" "$exe" || fail "the installed castdesk.exe is not the one built"
[ -f "$pf/uninstall.exe" ] || fail "no uninstaller"
[ -f "$pf/LICENSE.txt" ] && [ -f "$pf/THIRD_PARTY_NOTICES.txt" ] || fail "no LICENSE.txt or THIRD_PARTY_NOTICES.txt"
[ -f "$menu" ] || fail "no Start menu entry ($menu)"
echo "  ok  Program Files\\Castdesk\\castdesk.exe, LICENSE.txt, THIRD_PARTY_NOTICES.txt, uninstall.exe; Start menu\\Programs\\Castdesk.lnk"
uninst_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Castdesk'
winrun reg query "$uninst_key" /v DisplayVersion >"$work/reg.log" 2>&1 || { cat "$work/reg.log" >&2; fail "no Apps & features entry"; }
grep -q "$VERSION" "$work/reg.log" || { cat "$work/reg.log" >&2; fail "the Apps & features entry names another version"; }
echo "  ok  Apps & features: Castdesk $VERSION"
got=$(winrun "$pf/castdesk.exe" --version 2>/dev/null | tr -d '\r')
[ "$got" = "$want" ] || fail "the installed castdesk.exe --version printed '$got'"
echo "  ok  installed castdesk.exe --version"

step "installer: silent uninstall"
winrun "$pf/uninstall.exe" /S >"$work/uninstall.log" 2>&1 || { cat "$work/uninstall.log" >&2; fail "the uninstaller failed"; }
"$wineserver" -w # the uninstaller runs on as a copy of itself in %TEMP%
[ ! -e "$pf/castdesk.exe" ] || fail "castdesk.exe is still installed"
[ ! -e "$pf" ] || fail "Program Files\\Castdesk is still there: $(ls -A "$pf")"
[ ! -e "$menu" ] || fail "the Start menu entry is still there"
if winrun reg query "$uninst_key" >/dev/null 2>&1; then fail "the Apps & features entry is still there"; fi
echo "  ok  uninstalled: program, Start menu entry and Apps & features entry gone"

echo "==> wine-smoke-test: all passed"
