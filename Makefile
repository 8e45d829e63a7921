# Castdesk — the two commands a newcomer needs are `make run` and `make test`.
# Every step prints what it does, so a failure in CI says where it happened.

SHELL := /bin/bash
# sqlite_fts5: the trigram search index of the customers list.
TEST_TAGS := sqlite_fts5
GO_TAGS := desktop,production,webkit2_41,$(TEST_TAGS)
# One version for the binary and the packages (scripts/version.sh tells how).
VERSION ?= $(shell scripts/version.sh)
COMMIT ?= $(shell scripts/version.sh --commit)
# The build date shown in Help → About: the commit's time (or SOURCE_DATE_EPOCH),
# so a rebuild of the same commit stays byte-for-byte the same.
BUILD_DATE ?= $(shell d=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null)}; [ -n "$$d" ] && date -u -d "@$$d" +%Y-%m-%dT%H:%M:%SZ)
# Reproducible: the same source gives the same bytes (no paths, VCS stamp,
# build ID or symbols in the binary); `make test` builds twice and compares.
# Hardened as Debian expects: position-independent, RELRO, bind now.
BUILD_FLAGS := -trimpath -buildvcs=false -buildmode=pie
LDFLAGS := -s -w -buildid= -extldflags=-Wl,-z,relro,-z,now -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.buildDate=$(BUILD_DATE)
BIN := bin/castdesk

.PHONY: run test deps frontend build dist go-test e2e desktop-test two-process-test bench clean bindings notices

## run: install what is missing, build, open the window (or serve on a headless machine)
run: deps build
	@scripts/run.sh

## test: everything that proves Castdesk works, from a fresh clone
test:
	@scripts/test.sh

deps:
	@scripts/install-deps.sh

frontend:
	@echo "==> frontend: npm ci && npm run build"
	@cd frontend && (test -d node_modules || npm ci --no-audit --no-fund) && npm run build

build: frontend
	@echo "==> go build -tags $(GO_TAGS) -o $(BIN)"
	@go build $(BUILD_FLAGS) -tags $(GO_TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

## dist: packages in dist/: Linux .deb and .tar.gz, Windows .exe and installer (docs/packaging.md)
dist: build
	@VERSION="$(VERSION)" COMMIT="$(COMMIT)" scripts/dist.sh

go-test:
	@CASTDESK_REQUIRE_KEYRING=1 scripts/with-keyring.sh go test -tags $(TEST_TAGS) -count=1 ./...

e2e: build
	@scripts/e2e.sh

desktop-test: build
	@scripts/desktop-test.sh

two-process-test: build
	@scripts/two-process-test.sh

## bench: benchmarks with ratios against baselines measured in the same run (not part of `make test`)
bench:
	@scripts/bench.sh

clean:
	rm -rf bin dist frontend/node_modules e2e/node_modules artifacts
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete

## bindings: regenerate frontend/src/api/generated.ts from the operations declared in backend/ops (commit the result)
bindings:
	@go run ./backend/ops/tsgen

## notices: regenerate backend/notices/THIRD_PARTY_NOTICES.txt (+ notices.json) from what is compiled in (commit the result)
notices: frontend
	@go run ./backend/notices/gen
