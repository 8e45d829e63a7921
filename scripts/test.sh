#!/usr/bin/env bash
# test.sh — the body of `make test`: everything that proves Castdesk works,
# from a fresh clone on a fresh Debian 12 machine. Each step is announced
# ("==> [n/N] ..."), timed, and logged to artifacts/logs/; the first failure
# stops the run and says which step it was.
#
#   scripts/test.sh                 every step
#   STEPS="7 8" scripts/test.sh     only some steps (by number), e.g. after a fix
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Go lives in /usr/local/go on these machines; a non-login shell may not have it.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi

# Go build tags for vet and test come from the Makefile (TEST_TAGS), so the
# two never disagree (e.g. sqlite_fts5 for the customers search index).
TEST_TAGS=$(printf 'castdesk-print-test-tags:\n\t@echo $(TEST_TAGS)\n' | make -s --no-print-directory -f Makefile -f - castdesk-print-test-tags 2>/dev/null || true)
tags_flag=()
[ -n "$TEST_TAGS" ] && tags_flag=(-tags "$TEST_TAGS")

ART="$root/artifacts"
LOGS="$ART/logs"
mkdir -p "$ART"
find "$ART" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
mkdir -p "$LOGS"

STEP_NAMES=(
  "install dependencies (apt-get if missing, go mod download, npm ci if missing)"
  "frontend: typecheck (vue-tsc)"
  "frontend: unit tests (vitest)"
  "frontend: build (vite)"
  "go vet ${tags_flag[*]} ./... and gofmt -l (every Go file formatted)"
  "go test ${tags_flag[*]} -count=1 ./... (with a real Secret Service)"
  "build bin/castdesk (make build: the desktop + serve binary)"
  "e2e: Chromium + axe-core against castdesk serve"
  "API e2e: curl, API keys (one scoped) and a webhook receiver against castdesk serve"
  "desktop: the real window under Xvfb"
  "two processes on one data dir"
  "OpenAPI document: redocly lint (recommended rules, 0 errors)"
  "reproducible: bin/castdesk built again elsewhere, empty build cache, same sha256"
  "Linux packages from bin/castdesk: .deb and tarball (scripts/dist.sh linux)"
  "Linux packages checked: lintian, desktop-file-validate, appstreamcli, man; made again, same bytes"
  "the .deb installed: castdesk serve as its system user on /var/lib/castdesk, then purged"
  "Windows: castdesk.exe (mingw cross-build) and its NSIS installer (scripts/dist.sh windows)"
  "Wine: castdesk.exe --version, serve + API, the installer installs and uninstalls"
  "serve on a real server: nginx and Caddy with a test CA, trusted proxy, --tls-cert + SIGHUP, SIGTERM"
)
step_cmd() {
  case $1 in
    1) scripts/install-deps.sh ;;
    2) (cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run typecheck) ;;
    3) (cd frontend && npm test) ;;
    4) (cd frontend && npm run build) ;;
    5) go vet "${tags_flag[@]}" ./... && unformatted=$(git ls-files -z '*.go' | xargs -0 gofmt -l) &&
       { [ -z "$unformatted" ] || { echo "not gofmt-formatted (run gofmt -w):"; echo "$unformatted"; false; }; } ;;
    6) scripts/with-keyring.sh go test "${tags_flag[@]}" -count=1 ./... ;;
    7) make --no-print-directory build ;;
    8) scripts/e2e.sh ;;
    9) scripts/api-e2e.sh ;;
    10) scripts/desktop-test.sh ;;
    11) scripts/two-process-test.sh ;;
    12) scripts/openapi-lint.sh ;;
    13) scripts/repro-test.sh ;;
    14) scripts/dist.sh linux ;;
    15) scripts/deb-test.sh check ;;
    16) scripts/deb-test.sh install ;;
    17) scripts/dist.sh windows ;;
    18) scripts/wine-smoke-test.sh ;;
    19) scripts/proxy-test.sh ;;
  esac
}

N=${#STEP_NAMES[@]}
selected=${STEPS:-$(seq -s ' ' 1 "$N")}
timings=()
run_started=$SECONDS

for n in $selected; do
  name=${STEP_NAMES[$((n - 1))]}
  log="$LOGS/$(printf '%02d' "$n")-$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-' | tr -s '-' | cut -c1-40 | sed 's/-$//').log"
  echo
  echo "==> [$n/$N] $name"
  started=$SECONDS
  set +e
  step_cmd "$n" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  took=$((SECONDS - started))
  timings+=("$(printf '  [%2d/%d] %4ds  %s' "$n" "$N" "$took" "$name")")
  if [ "$rc" -ne 0 ]; then
    echo
    echo "==> FAILED at step [$n/$N] $name (exit status $rc, after ${took}s)"
    echo "    its output: ${log#"$root"/}; screenshots and logs: artifacts/"
    echo "    rerun just this step: STEPS=$n scripts/test.sh"
    exit "$rc"
  fi
  echo "==> [$n/$N] done in ${took}s"
done

echo
echo "==> all steps passed in $((SECONDS - run_started))s:"
printf '%s\n' "${timings[@]}"
