#!/usr/bin/env bash
# e2e.sh [scenario ...] — browser end-to-end tests: Debian's Chromium driven by
# playwright-core against the real bin/castdesk in `serve` mode, axe-core on
# every screen. Scenarios live in e2e/scenarios/ (default: all of them).
# Screenshots and logs: artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x bin/castdesk ] || { echo "e2e.sh: bin/castdesk is not built (make build)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM:-}" ] || { echo "e2e.sh: /usr/bin/chromium is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
if [ ! -d e2e/node_modules ]; then
  echo "==> e2e: npm ci"
  (cd e2e && npm ci --no-audit --no-fund)
fi
exec node e2e/run.mjs "$@"
