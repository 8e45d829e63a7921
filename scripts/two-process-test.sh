#!/usr/bin/env bash
# two-process-test.sh [N] — two processes on one data dir: `castdesk serve`
# taking N admin logins + N customer creates over HTTP while N separate
# `castdesk admin create` processes write to the same SQLite file. Checks that
# every write succeeds, every account is listed afterwards, and nothing says
# "database is locked". Transcript: artifacts/two-process/.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x bin/castdesk ] || { echo "two-process-test.sh: bin/castdesk is not built (make build)" >&2; exit 1; }
if [ ! -d e2e/node_modules ]; then
  echo "==> e2e: npm ci"
  (cd e2e && npm ci --no-audit --no-fund)
fi
exec node e2e/two-process.mjs "$@"
