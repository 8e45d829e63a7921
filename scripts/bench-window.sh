#!/usr/bin/env bash
# bench-window.sh — the desktop window's cold start and memory against a
# Wails hello-world measured in the same run (part of `make bench`, never of
# `make test`: it asserts nothing about time).
#
# Both applications are built here with the same tags and flags as
# `make build` (the hello-world is scripts/bench/wails-hello: the same Wails
# version, the same 1280x820 window, one tiny embedded page). On a virtual X
# display of its own, each starts RUNS times, alternately, each time with a
# fresh data directory (Castdesk's setup screen) and fresh XDG data, cache and
# config directories (WebKit starts cold), inside one with-keyring session.
# scripts/bench/window-probe.py measures each start:
#   window   exec -> the first picture of the screen that changed (mapped);
#   paint    exec -> first paint: the first picture (polled every 50 ms) in
#            which the window below its top 26 px (Castdesk's menu bar) shows
#            >= MIN_COLOURS colours (blank: 1-3; rendered text: dozens);
#   complete exec -> the first screen complete (>= 90 % of the colours of the
#            picture at the end: first paint may be a frame or "Loading...");
#   settled  exec -> the last change of the picture during the idle time
#            (not content: GTK's overlay scrollbar fading out counts);
#   PSS      the sum of Pss over the process tree (the app and its WebKit
#            processes) after IDLE seconds of idle after first paint.
# Prints each run, the medians and Castdesk minus/over the hello-world.
# Castdesk runs with CASTDESK_TRACE_STARTUP=1: the median of each start-up
# milestone it prints (ms since the process started) is the breakdown.
#
#   RUNS=5 IDLE=5 BIN=bin/castdesk scripts/bench-window.sh
# (BIN given: that binary is measured as it is, without `make build`.)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

[ -n "${CASTDESK_KEYRING_SESSION:-}" ] || exec scripts/with-keyring.sh "$0" "$@"

RUNS=${RUNS:-5}
IDLE=${IDLE:-5}
MIN_COLOURS=${MIN_COLOURS:-40}
SKIP_TOP=${SKIP_TOP:-26}
SCREEN=${SCREEN:-1280x900x24}
GO_TAGS=desktop,production,webkit2_41,sqlite_fts5 # Makefile GO_TAGS
BUILD_FLAGS=(-trimpath -buildvcs=false -buildmode=pie)
LDFLAGS='-s -w -buildid= -extldflags=-Wl,-z,relro,-z,now'

say() { echo "    window: $*"; }
fail() { echo "bench-window.sh: FAILED: $*" >&2; exit 1; }
for tool in Xvfb xdotool python3; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing (scripts/install-deps.sh)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/castdesk-bench-window.XXXXXX")
xvfb_pid=''
cleanup() {
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- the two binaries ---------------------------------------------------------
if [ -z "${BIN:-}" ]; then
  make --no-print-directory build >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "make build"; }
  BIN=$root/bin/castdesk
fi
HELLO=$tmp/wails-hello
go build "${BUILD_FLAGS[@]}" -tags "$GO_TAGS" -ldflags "$LDFLAGS" -o "$HELLO" ./scripts/bench/wails-hello
say "castdesk $(du -k "$BIN" | cut -f1) KiB, hello-world $(du -k "$HELLO" | cut -f1) KiB (-tags $GO_TAGS)"

# --- a free display -------------------------------------------------------------
. "$root/scripts/xvfb.sh"
start_xvfb 120 "$SCREEN" "$tmp/xvfb.log"
say "Xvfb on $DISPLAY ($SCREEN); $RUNS runs each, alternately; first paint = >= $MIN_COLOURS colours below the top ${SKIP_TOP} px; PSS after ${IDLE} s idle"

# --- the runs -------------------------------------------------------------------
# once NAME TITLE CMD...: one cold start with fresh directories.
once() {
  local name=$1 title=$2 i=$3
  shift 3
  local d="$tmp/run-$name-$i"
  mkdir -p "$d/data" "$d/xdg-data" "$d/xdg-cache" "$d/xdg-config"
  XDG_DATA_HOME="$d/xdg-data" XDG_CACHE_HOME="$d/xdg-cache" XDG_CONFIG_HOME="$d/xdg-config" \
  NO_AT_BRIDGE=1 LANGUAGE=en LANG=C.UTF-8 CASTDESK_TRACE_STARTUP=1 \
    python3 scripts/bench/window-probe.py --title "$title" --skip-top "$SKIP_TOP" \
      --min-colours "$MIN_COLOURS" --idle "$IDLE" --log "$d/app.log" -- "$@" >"$d/result.json" ||
    { tail -n 20 "$d/app.log" >&2; fail "$name run $i"; }
  cp "$d/app.log" "$tmp/$name-$i.log"
  printf '%s\t%s\t%s\n' "$name" "$i" "$(cat "$d/result.json")" >>"$tmp/results.tsv"
  say "$name #$i: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("window %(window_ms).0f ms, first paint %(paint_ms).0f ms (%(colours)d colours), complete %(complete_ms).0f ms, settled %(settled_ms).0f ms, PSS %(pss_mib).1f MiB (RSS %(rss_mib).1f): %(each)s" % dict(r, each=", ".join("%s %.1f" % kv for kv in sorted(r["pss_mib_each"].items()))))' "$d/result.json")"
  rm -rf "$d"
}
: >"$tmp/results.tsv"
for i in $(seq "$RUNS"); do
  once hello Hello "$i" "$HELLO"
  once castdesk Castdesk "$i" "$BIN" --data "$tmp/run-castdesk-$i/data"
done

# --- medians, differences, the start-up breakdown -----------------------------
python3 - "$tmp" "$RUNS" <<'EOF'
import glob, json, re, statistics, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
res = {"hello": [], "castdesk": []}
for line in open(tmp + "/results.tsv"):
    name, _, js = line.rstrip("\n").split("\t", 2)
    res[name].append(json.loads(js))
med = lambda name, k: statistics.median(r[k] for r in res[name])
keys = ("window_ms", "paint_ms", "complete_ms", "settled_ms", "pss_mib")
h, c = {k: med("hello", k) for k in keys}, {k: med("castdesk", k) for k in keys}
print("    window: medians of %d runs:          hello-world    castdesk    difference   ratio" % runs)
for k, label, unit in (("window_ms", "window mapped", "ms"), ("paint_ms", "first paint", "ms"), ("complete_ms", "first screen complete", "ms"), ("settled_ms", "last change", "ms"), ("pss_mib", "PSS after idle", "MiB")):
    print("    window:   %-22s %9.0f %-3s %9.0f %-3s %+9.0f %-3s  %5.2fx" % (label, h[k], unit, c[k], unit, c[k] - h[k], unit, c[k] / h[k]))
print("    window: targets: first paint <= hello + 300 ms: %s (%+.0f ms); PSS <= hello + 50 MB: %s (%+.1f MiB)" % (
    "met" if c["paint_ms"] - h["paint_ms"] <= 300 else "NOT met", c["paint_ms"] - h["paint_ms"],
    "met" if (c["pss_mib"] - h["pss_mib"]) * 1.048576 <= 50 else "NOT met", c["pss_mib"] - h["pss_mib"]))
for name in res:
    each = {}
    for r in res[name]:
        for p, v in r["pss_mib_each"].items():
            each.setdefault(p, []).append(v)
    print("    window: %s PSS by process (median MiB): %s" % (name, ", ".join("%s %.1f" % (p, statistics.median(v)) for p, v in sorted(each.items()))))
# CASTDESK_TRACE_STARTUP lines: "castdesk startup: <ms> ms <milestone>"
marks = {}
order = []
for f in sorted(glob.glob(tmp + "/castdesk-*.log")):
    for m in re.finditer(r"castdesk startup: +([0-9.]+) ms (.+)", open(f, errors="replace").read()):
        if m.group(2) not in marks:
            marks[m.group(2)] = []
            order.append(m.group(2))
        marks[m.group(2)].append(float(m.group(1)))
if marks:
    print("    window: castdesk start-up (median ms since the process started, CASTDESK_TRACE_STARTUP=1):")
    for k in order:
        print("    window:   %7.0f  %s" % (statistics.median(marks[k]), k))
    print("    window:   %7.0f  first paint (window-probe)" % c["paint_ms"])
EOF
