#!/usr/bin/env bash
# repro-test.sh — reproducible builds: bin/castdesk (as `make build` made it)
# is built again, independently, and the two must be the same bytes.
#
# The second build starts from a copy of the source in another directory,
# with an empty Go build cache (everything compiled again: the standard
# library, SQLite and the cgo parts too; the module cache is shared, it holds
# only the downloaded sources), another time zone, locale and umask. The
# flags are the Makefile's (BUILD_FLAGS, GO_TAGS, LDFLAGS: -trimpath,
# -buildvcs=false, -buildid=, the version and commit fixed by
# scripts/version.sh), so the check also fails when one of them goes missing.
#
#   scripts/repro-test.sh                      after make build
#   REPRO_SHARED_CACHE=1 scripts/repro-test.sh  reuse the build cache (faster,
#                                              checks paths and flags only)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
die() { echo "repro-test.sh: $*" >&2; exit 1; }
step() { echo "==> $*"; }

bin=bin/castdesk
[ -x "$bin" ] || die "$bin is not built: make build"
[ -f frontend/dist/index.html ] || die "frontend/dist is not built: make frontend"

# make_var NAME: the value the Makefile gives NAME (so both builds use the same flags).
make_var() { printf 'castdesk-print-var:\n\t@echo $(%s)\n' "$1" | make -s --no-print-directory -f Makefile -f - castdesk-print-var; }
BUILD_FLAGS=$(make_var BUILD_FLAGS)
GO_TAGS=$(make_var GO_TAGS)
LDFLAGS=$(make_var LDFLAGS)
want="castdesk $(make_var VERSION)"
[ -n "$(make_var COMMIT)" ] && want="$want (commit $(make_var COMMIT))"
got=$("$bin" --version) || die "$bin --version failed"
[ "$got" = "$want" ] || die "$bin is '$got', the tree is '$want': make build first"
echo "    $got"
echo "    flags:   $BUILD_FLAGS -tags $GO_TAGS"
echo "    ldflags: $LDFLAGS"

work=$(mktemp -d "${TMPDIR:-/tmp}/castdesk-repro.XXXXXX")
cleanup() {
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "a copy of the source in $work/elsewhere/src"
mkdir -p "$work/elsewhere/src"
tar -c --exclude=./.git --exclude=./bin --exclude=./dist --exclude=./artifacts --exclude=./.cache \
  --exclude='./frontend/node_modules' --exclude='./e2e/node_modules' --exclude='./*.syso' . \
  | tar -x -C "$work/elsewhere/src"

cache="$work/gocache"
what="an empty build cache"
if [ "${REPRO_SHARED_CACHE:-0}" = 1 ]; then
  cache=$(go env GOCACHE)
  what="the shared build cache"
fi
step "go build again there, with $what, TZ=Pacific/Chatham, LC_ALL=C, umask 077"
started=$SECONDS
(
  cd "$work/elsewhere/src"
  umask 077
  # shellcheck disable=SC2086 # BUILD_FLAGS is a list of flags
  env TZ=Pacific/Chatham LC_ALL=C GOCACHE="$cache" GOFLAGS= \
    go build $BUILD_FLAGS -tags "$GO_TAGS" -ldflags "$LDFLAGS" -o "$work/castdesk" .
)
echo "    built in $((SECONDS - started))s"

a=$(sha256sum <"$bin" | cut -d' ' -f1)
b=$(sha256sum <"$work/castdesk" | cut -d' ' -f1)
printf '    %s  %s (make build, %s bytes)\n' "$a" "$bin" "$(stat -c %s "$bin")"
printf '    %s  the second build (%s bytes)\n' "$b" "$(stat -c %s "$work/castdesk")"
if [ "$a" != "$b" ]; then
  if [ -d artifacts ]; then
    mkdir -p artifacts/repro && cp "$bin" artifacts/repro/castdesk.first && cp "$work/castdesk" artifacts/repro/castdesk.second
    echo "    both binaries: artifacts/repro/ (compare with diffoscope, or cmp -l | head)"
  fi
  die "the two builds differ: the build is not reproducible"
fi
echo "==> repro-test: the same sha256 twice ($a)"
