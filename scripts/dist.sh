#!/usr/bin/env bash
# dist.sh — the packages, in dist/ (the body of `make dist`):
#
#   castdesk_VERSION_amd64.deb               Debian 12 / Ubuntu 22.04+: /usr/bin/castdesk, desktop
#                                            entry, icons, AppStream metainfo, man page, and
#                                            castdesk.service (not enabled or started on install)
#   castdesk-VERSION-linux-amd64.tar.gz      the same binary and files, with an INSTALL note
#   castdesk-VERSION-windows-amd64.exe       the Windows program (mingw cross-build: icon, version)
#   castdesk-VERSION-windows-amd64-installer.exe   its NSIS installer (Start menu, uninstaller,
#                                            WebView2 bootstrap)
#   SHA256SUMS
#
#   scripts/dist.sh                 everything (needs bin/castdesk from `make build`)
#   scripts/dist.sh linux           only the .deb and the tarball
#   scripts/dist.sh windows         only the Windows program and installer
#
# The Linux packages wrap bin/castdesk as `make build` made it (reproducible:
# -trimpath, no VCS stamp, no build ID; scripts/repro-test.sh proves it), so
# the binary that the tests ran is the one that ships. Every file gets the
# commit's time (SOURCE_DATE_EPOCH), so the packages are reproducible too.
# Tools: dpkg-deb, dpkg-shlibdeps (dpkg-dev), rsvg-convert (librsvg2-bin),
# and for Windows gcc-mingw-w64-x86-64 and nsis (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi

step() { echo "==> $*"; }
die() { echo "dist.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 is missing: apt-get install $2 (or scripts/install-deps.sh)"; }

VERSION=${VERSION:-$(scripts/version.sh)}
COMMIT=${COMMIT:-$(scripts/version.sh --commit)}
WINVER=$(scripts/version.sh --windows)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(scripts/version.sh --epoch)}
DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
OUT=${DIST_DIR:-$root/dist}
BIN=${CASTDESK:-$root/bin/castdesk}
# What is built in, with the licence texts (make notices); shipped in every package.
NOTICES=$root/backend/notices/THIRD_PARTY_NOTICES.txt
[ -f "$NOTICES" ] && [ -f LICENSE ] || die "LICENSE or $NOTICES is missing"
ARCH=amd64
# Tags of `make build` minus the Linux-only webkit2_41 (from the Makefile, so they never disagree).
GO_TAGS=$(printf 'castdesk-print-tags:\n\t@echo $(GO_TAGS)\n' | make -s --no-print-directory -f Makefile -f - castdesk-print-tags)
WIN_TAGS=$(echo "$GO_TAGS" | tr ',' '\n' | grep -vx 'webkit2_41' | paste -sd, -)
# The build date Help → About shows: the commit's time, as `make build` stamps it.
LDFLAGS="-s -w -buildid= -X main.version=$VERSION -X main.commit=$COMMIT -X main.buildDate=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux windows)
for t in "${targets[@]}"; do
  case $t in linux | windows) ;; *) die "unknown target $t (linux, windows)" ;; esac
done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/castdesk-dist.XXXXXX")
syso="$root/castdesk_windows_amd64.syso"
trap 'rm -rf "$work" "$syso"' EXIT
umask 022

step "version $VERSION (commit ${COMMIT:-none}, date $DATE) -> ${OUT#"$root"/}/"

# touch_tree DIR: every file and folder gets the commit's time.
touch_tree() { find "$1" -depth -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +; }

# icon_png SIZE FILE: build/appicon.svg rendered at SIZE x SIZE.
icon_png() { rsvg-convert -w "$1" -h "$1" -o "$2" build/appicon.svg; }

# template FILE: FILE with @VERSION@, @DATE@, @COMMIT@, @WINVER@, @WINVER_COMMAS@ filled in.
template() {
  sed -e "s|@VERSION@|$VERSION|g" -e "s|@DATE@|$DATE|g" -e "s|@COMMIT@|${COMMIT:-unknown}|g" \
    -e "s|@WINVER@|$WINVER|g" -e "s|@WINVER_COMMAS@|${WINVER//./,}|g" "$1"
}

# --- Linux --------------------------------------------------------------------
ICON_SIZES=(16 22 24 32 48 64 128 256 512)

# linux_tree DIR: the installed files, as the .deb lays them out (under usr/).
linux_tree() {
  local d=$1
  install -D -m 0755 "$BIN" "$d/usr/bin/castdesk"
  install -D -m 0644 build/linux/castdesk.desktop "$d/usr/share/applications/castdesk.desktop"
  install -d "$d/usr/share/metainfo"
  template build/linux/io.castdesk.Castdesk.metainfo.xml >"$d/usr/share/metainfo/io.castdesk.Castdesk.metainfo.xml"
  for s in "${ICON_SIZES[@]}"; do
    install -d "$d/usr/share/icons/hicolor/${s}x${s}/apps"
    icon_png "$s" "$d/usr/share/icons/hicolor/${s}x${s}/apps/castdesk.png"
  done
  install -D -m 0644 build/appicon.svg "$d/usr/share/icons/hicolor/scalable/apps/castdesk.svg"
  install -d "$d/usr/share/man/man1"
  template build/linux/castdesk.1 | gzip -9n >"$d/usr/share/man/man1/castdesk.1.gz"
  # Debian 12 keeps units in /lib (the merged-/usr move comes later).
  install -D -m 0644 build/linux/castdesk.service "$d/lib/systemd/system/castdesk.service"
}

# changelog: a Debian changelog entry for this build (native package).
changelog() {
  local stamp
  stamp=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
  cat <<EOF
castdesk ($VERSION) stable; urgency=medium

  * Build of commit ${COMMIT:-unknown}. The changes are in the git history.

 -- Castdesk authors <castdesk@example.org>  $stamp
EOF
}

build_deb() {
  need dpkg-deb dpkg
  need dpkg-shlibdeps dpkg-dev
  need rsvg-convert librsvg2-bin
  local name="castdesk_${VERSION}_${ARCH}" d
  d="$work/deb/$name"
  step "deb: laying out $name"
  linux_tree "$d"
  install -d "$d/usr/share/doc/castdesk"
  install -m 0644 build/linux/debian/copyright "$d/usr/share/doc/castdesk/copyright"
  changelog | gzip -9n >"$d/usr/share/doc/castdesk/changelog.gz"
  gzip -9n <"$NOTICES" >"$d/usr/share/doc/castdesk/THIRD_PARTY_NOTICES.txt.gz"
  install -D -m 0644 build/linux/debian/lintian-overrides "$d/usr/share/lintian/overrides/castdesk"
  install -d "$d/DEBIAN"
  for s in postinst prerm postrm; do install -m 0755 "build/linux/debian/$s" "$d/DEBIAN/$s"; done

  step "deb: Depends from the binary's libraries (dpkg-shlibdeps)"
  mkdir -p "$work/deb/src/debian"
  printf 'Source: castdesk\n\nPackage: castdesk\nArchitecture: %s\n' "$ARCH" >"$work/deb/src/debian/control"
  local shlibs
  shlibs=$(cd "$work/deb/src" && dpkg-shlibdeps -O --warnings=1 -e"$d/usr/bin/castdesk" 2>"$work/shlibdeps.log") \
    || { cat "$work/shlibdeps.log" >&2; die "dpkg-shlibdeps failed"; }
  shlibs=${shlibs#shlibs:Depends=}
  [ -n "$shlibs" ] || die "dpkg-shlibdeps found no libraries"
  echo "    Depends: adduser, $shlibs"

  local size
  size=$(du -sk --exclude=DEBIAN "$d" | cut -f1)
  sed -e "s|@VERSION@|$VERSION|" -e "s|@ARCH@|$ARCH|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|adduser, $shlibs|" \
    build/linux/debian/control >"$d/DEBIAN/control"
  (cd "$d" && find usr lib -type f | LC_ALL=C sort | xargs md5sum) >"$d/DEBIAN/md5sums"
  chmod 0644 "$d/DEBIAN/control" "$d/DEBIAN/md5sums"
  touch_tree "$d"
  dpkg-deb --root-owner-group -Zxz -z9 --build "$d" "$OUT/$name.deb" >/dev/null
  step "deb: ${OUT#"$root"/}/$name.deb ($(du -h "$OUT/$name.deb" | cut -f1))"
}

build_tarball() {
  need rsvg-convert librsvg2-bin
  local name="castdesk-${VERSION}-linux-${ARCH}" d
  d="$work/tar/$name"
  step "tarball: $name.tar.gz"
  linux_tree "$work/tar/tree"
  install -d "$d/share"
  install -m 0755 "$work/tar/tree/usr/bin/castdesk" "$d/castdesk"
  cp -r "$work/tar/tree/usr/share/." "$d/share/"
  install -D -m 0644 "$work/tar/tree/lib/systemd/system/castdesk.service" "$d/share/systemd/castdesk.service"
  template build/linux/INSTALL >"$d/INSTALL"
  install -m 0644 README.md "$d/README.md"
  install -m 0644 LICENSE "$d/LICENSE"
  install -m 0644 "$NOTICES" "$d/THIRD_PARTY_NOTICES.txt"
  touch_tree "$d"
  (cd "$work/tar" && tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    --format=gnu -cf - "$name") | gzip -9n >"$OUT/$name.tar.gz"
  step "tarball: ${OUT#"$root"/}/$name.tar.gz ($(du -h "$OUT/$name.tar.gz" | cut -f1))"
}

check_binary() {
  [ -x "$BIN" ] || die "$BIN is not built: make build (or make dist, which builds it)"
  local got want="castdesk $VERSION"
  [ -n "$COMMIT" ] && want="$want (commit $COMMIT)"
  got=$("$BIN" --version) || die "$BIN --version failed"
  [ "$got" = "$want" ] || die "$BIN is a build of another version: '$got', want '$want' (make build)"
}

# --- Windows ------------------------------------------------------------------

# write_ico OUT PNG...: an .ico holding the PNGs as they are (Windows Vista and later).
write_ico() {
  python3 - "$@" <<'PY'
import struct, sys
out, pngs = sys.argv[1], sys.argv[2:]
images = [open(p, "rb").read() for p in pngs]
head = struct.pack("<HHH", 0, 1, len(images))
offset = 6 + 16 * len(images)
entries = b""
for data in images:
    w, h = struct.unpack(">II", data[16:24])
    entries += struct.pack("<BBBBHHII", w % 256, h % 256, 0, 0, 1, 32, len(data), offset)
    offset += len(data)
open(out, "wb").write(head + entries + b"".join(images))
PY
}

build_windows() {
  need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
  need x86_64-w64-mingw32-windres binutils-mingw-w64-x86-64
  need makensis nsis
  need rsvg-convert librsvg2-bin
  [ -f frontend/dist/index.html ] || die "frontend/dist is not built: make frontend"
  local w="$work/windows" exe="$OUT/castdesk-${VERSION}-windows-${ARCH}.exe"
  mkdir -p "$w"

  step "windows: icon and version resource ($WINVER)"
  local pngs=()
  for s in 16 24 32 48 64 128 256; do
    icon_png "$s" "$w/icon-$s.png"
    pngs+=("$w/icon-$s.png")
  done
  write_ico "$w/icon.ico" "${pngs[@]}"
  template build/windows/castdesk.rc >"$w/castdesk.rc"
  template build/windows/castdesk.exe.manifest >"$w/castdesk.exe.manifest"
  (cd "$w" && x86_64-w64-mingw32-windres -O coff -i castdesk.rc -o "$syso")

  step "windows: go build (GOOS=windows, mingw cgo, -H windowsgui, tags $WIN_TAGS)"
  GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
    go build -trimpath -buildvcs=false -tags "$WIN_TAGS" -ldflags "$LDFLAGS -H windowsgui" -o "$exe" .
  rm -f "$syso"
  step "windows: ${exe#"$root"/} ($(du -h "$exe" | cut -f1))"

  step "windows: NSIS installer"
  local wails bootstrapper
  wails=$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2) || die "the Wails module is not downloaded: go mod download"
  bootstrapper="$wails/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe"
  [ -f "$bootstrapper" ] || die "no WebView2 bootstrapper at $bootstrapper"
  local installer="$OUT/castdesk-${VERSION}-windows-${ARCH}-installer.exe"
  makensis -V2 -INPUTCHARSET UTF8 \
    "-DINFO_PRODUCTVERSION=$VERSION" "-DINFO_FILEVERSION=$WINVER" \
    "-DARG_WAILS_AMD64_BINARY=$exe" "-DICON_FILE=$w/icon.ico" \
    "-DWEBVIEW2_BOOTSTRAPPER=$bootstrapper" "-DOUTFILE=$installer" \
    "-DLICENSE_FILE=$root/LICENSE" "-DNOTICES_FILE=$NOTICES" \
    build/windows/installer/project.nsi
  step "windows: ${installer#"$root"/} ($(du -h "$installer" | cut -f1))"
}

# --- go -------------------------------------------------------------------------
for t in "${targets[@]}"; do
  case $t in
    linux)
      check_binary
      rm -f "$OUT"/castdesk_*_"$ARCH".deb "$OUT"/castdesk-*-linux-"$ARCH".tar.gz
      build_deb
      build_tarball ;;
    windows)
      rm -f "$OUT"/castdesk-*-windows-"$ARCH".exe "$OUT"/castdesk-*-windows-"$ARCH"-installer.exe
      build_windows ;;
  esac
done

(cd "$OUT" && find . -maxdepth 1 -type f \( -name '*.deb' -o -name '*.tar.gz' -o -name '*.exe' \) -printf '%P\n' \
  | LC_ALL=C sort | xargs -r sha256sum >SHA256SUMS)
step "dist/:"
(cd "$OUT" && sed 's/^/    /' SHA256SUMS)
