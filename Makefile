# Castdesk — the two commands a newcomer needs are `make run` and `make test`.
# Every step prints what it does, so a failure in CI says where it happened.

SHELL := /bin/bash
# sqlite_fts5: the trigram search index of the customers list.
TEST_TAGS := sqlite_fts5
GO_TAGS := desktop,production,webkit2_41,$(TEST_TAGS)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN := bin/castdesk

.PHONY: run test deps frontend build go-test e2e desktop-test two-process-test bench clean bindings

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
	@go build -tags $(GO_TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

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
	rm -rf bin frontend/node_modules e2e/node_modules artifacts
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete

## bindings: regenerate frontend/wailsjs after a bound method's signature changes (commit the result)
bindings:
	@command -v wails >/dev/null || go install github.com/wailsapp/wails/v2/cmd/wails@v2.15.0
	@PATH="$$PATH:$$(go env GOPATH)/bin" wails generate module -tags "$(TEST_TAGS)"
