#!/usr/bin/env bash
# run.sh — the last step of `make run`: open the desktop window when there is a
# display, else serve the web panel (castdesk serve prints the URL to open).
# Extra arguments go to castdesk (e.g. `scripts/run.sh --data /tmp/cd`).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=bin/castdesk
if [ ! -x "$bin" ]; then
  echo "run.sh: $bin is not built yet; run 'make build' (or 'make run')." >&2
  exit 1
fi
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  echo "==> opening the Castdesk window (${WAYLAND_DISPLAY:+Wayland $WAYLAND_DISPLAY}${DISPLAY:+X display $DISPLAY})"
  exec "$bin" "$@"
fi
echo "==> no display here (DISPLAY and WAYLAND_DISPLAY are unset), so serving the web panel instead of opening a window; open the URL below in a browser."
exec "$bin" serve "$@"
