#!/usr/bin/env bash
# `make bench`: benchmarks that print ratios against a baseline measured in
# the same run. Not part of `make test`: they assert nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> bench: customers list, search and one record by ID at 100,000 accounts (API vs direct SQLite)"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -run '^TestBenchAccountsList$' -v ./backend/httpapi/ | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: beside PocketBase (scripts/bench/pocketbase), 100,000 records each: one record by ID, list, email search, idle RSS"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -timeout 20m -run '^TestBenchPocketBase$' -v ./backend/httpapi/ | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: media index, 2,000 folders x 100 files (start-up vs find, write->index latency)"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -timeout 20m -run '^TestBenchMediaIndex$' -v ./backend/media/ | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: media list pages (first page of 50, every sort, with and without a search) at 100 to 50,000 files an account"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -timeout 20m -run '^TestBenchMediaList$' -v ./backend/sqlite/ | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: restart with 100,000 accounts until /health answers (vs until the start-up reconcile is done)"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -timeout 20m -run '^TestBenchRestart$' -v ./backend/httpapi/ | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: hashing: peak RSS under 8 parallel creates + a 50-login storm, login latency against one hash (child processes)"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -timeout 20m -run '^TestBenchHashing$' -v ./backend/panel/ | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: serve idle RSS with 100,000 accounts (vs an empty data directory)"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -timeout 30m -run '^TestBenchServeRSS$' -v . | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: backup and restore, 5,000 accounts and 400 MB of media (vs sqlite3 .backup + tar cf, tar xf + sync)"
CASTDESK_BENCH=1 go test -tags sqlite_fts5 -count=1 -timeout 20m -run '^TestBenchBackupRestore$' -v ./backend/backup/ | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
echo "==> bench: window cold start to first paint and PSS after 5 s idle (vs a Wails hello-world, under Xvfb)"
scripts/bench-window.sh
