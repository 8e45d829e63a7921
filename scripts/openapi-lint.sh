#!/usr/bin/env bash
# openapi-lint.sh — lints the OpenAPI document generated from the operation
# declarations (backend/ops) with Redocly CLI's recommended rules: any error
# fails the run. 2.77.0 is pinned: it is the release that installs on these
# machines' Node.js 20.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${ARTIFACTS:-artifacts}/openapi.json
mkdir -p "$(dirname "$out")"
go run ./backend/httpapi/openapigen >"$out"
echo "generated $out ($(wc -c <"$out") bytes); linting with @redocly/cli@2.77.0 (recommended)"
npx --yes @redocly/cli@2.77.0 lint --extends recommended --format=summary "$out" 2>&1 | grep -v '^\s*[║╔╚]' || {
  echo "redocly lint found errors in the OpenAPI document" >&2
  exit 1
}
