#!/usr/bin/env bash
# desktop-test.sh — the real Wails window (bin/castdesk, no arguments but
# --data) on a virtual X display:
#   1. the window appears (xdotool finds a visible window named Castdesk);
#   2. the SPA renders inside it (the screen is no longer blank: many colours,
#      many pixels changed, and the picture settles);
#   3. it answers the keyboard: the setup form is filled in and submitted with
#      xdotool, the screen changes to the signed-in home screen, and after the
#      app is closed the console (`castdesk admin reset-password`) finds the
#      administrator the window created — window -> Wails bindings -> Go ->
#      SQLite, all real.
# Screenshots and logs go to artifacts/desktop/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The app may use the Secret Service, and WebKit/GTK expect a session bus:
# run the whole test inside scripts/with-keyring.sh.
if [ -z "${CASTDESK_DESKTOP_TEST_IN_SESSION:-}" ]; then
  export CASTDESK_DESKTOP_TEST_IN_SESSION=1
  exec scripts/with-keyring.sh "$0" "$@"
fi

BIN=${BIN:-$root/bin/castdesk}
ART=$root/artifacts/desktop
SCREEN=${SCREEN:-1280x900x24}   # the window asks for 1280x820: let it fit whole
WINDOW_TIMEOUT=${WINDOW_TIMEOUT:-60}
RENDER_TIMEOUT=${RENDER_TIMEOUT:-90}   # polls: costs nothing when fast (5 s idle, 21 s on a loaded machine)
MIN_COLOURS=${MIN_COLOURS:-40}       # a blank or flat frame has 1-3 colours; text adds anti-aliasing shades
MIN_CHANGED_PCT=${MIN_CHANGED_PCT:-20} # of the screen's pixels, against the blank frame
ADMIN_USER=deskadmin
ADMIN_PASS=Corr3ct-Horse-Battery

say() { echo "    desktop: $*"; }
fail() {
  echo "desktop-test.sh: FAILED: $*" >&2
  if [ -s "$ART/app.log" ]; then
    echo "---- last lines of $ART/app.log ----" >&2
    tail -n 40 "$ART/app.log" >&2
  fi
  exit 1
}

for tool in Xvfb xdotool import identify compare; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing (scripts/install-deps.sh installs xvfb, xdotool, imagemagick)"
done
[ -x "$BIN" ] || fail "$BIN is not built (make build)"

rm -rf "$ART"
mkdir -p "$ART"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/castdesk-desktop.XXXXXX")
xvfb_pid='' app_pid=''
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill -KILL "$app_pid" 2>/dev/null || true; fi
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- a free display number, and Xvfb on it ----------------------------------
# Another test run may take the same number between our check and Xvfb's
# start: then Xvfb exits at once and we try the next number.
unset WAYLAND_DISPLAY
n=99
for _attempt in $(seq 10); do
  while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
  export DISPLAY=":$n"
  Xvfb "$DISPLAY" -screen 0 "$SCREEN" -nolisten tcp >"$ART/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 100); do
    kill -0 "$xvfb_pid" 2>/dev/null || break
    xdotool getdisplaygeometry >/dev/null 2>&1 && break 2
    sleep 0.1
  done
  if kill -0 "$xvfb_pid" 2>/dev/null; then fail "Xvfb on $DISPLAY did not answer within 10 s (see $ART/xvfb.log)"; fi
  wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=''
  n=$((n + 1))
done
[ -n "$xvfb_pid" ] || fail "could not start Xvfb on any of 10 display numbers (see $ART/xvfb.log)"
sleep 0.3
kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb on $DISPLAY exited right after starting (another X server on that number?) (see $ART/xvfb.log)"
say "Xvfb on $DISPLAY ($SCREEN), geometry $(xdotool getdisplaygeometry)"

shot() { import -window root "$1"; }
colours() { identify -format %k "$1"; }
# Pixels that differ between two frames (ImageMagick prints the count on stderr).
changed() { compare -metric AE "$1" "$2" null: 2>&1 | awk '{printf "%d", $1}' || true; }
total_px=$(xdotool getdisplaygeometry | awk '{print $1 * $2}')

shot "$ART/blank.png"
say "blank frame: $(colours "$ART/blank.png") colour(s)"

# --- start the app with every place WebKit writes to in temp dirs ----------
mkdir -p "$tmp/data" "$tmp/xdg-data" "$tmp/xdg-cache" "$tmp/xdg-config"
started=$(date +%s.%N)
XDG_DATA_HOME="$tmp/xdg-data" XDG_CACHE_HOME="$tmp/xdg-cache" XDG_CONFIG_HOME="$tmp/xdg-config" \
NO_AT_BRIDGE=1 \
  "$BIN" --data "$tmp/data" >"$ART/app.log" 2>&1 &
app_pid=$!

# --- 1. the window ------------------------------------------------------------
wid=''
deadline=$((SECONDS + WINDOW_TIMEOUT))
while [ -z "$wid" ]; do
  kill -0 "$app_pid" 2>/dev/null || { wait "$app_pid" && rc=0 || rc=$?; fail "castdesk exited (status $rc) before its window appeared"; }
  [ $SECONDS -lt $deadline ] || fail "no visible window named Castdesk within ${WINDOW_TIMEOUT}s"
  wid=$(timeout 2 xdotool search --sync --onlyvisible --name '^Castdesk$' 2>/dev/null | head -n 1 || true)
done
window_after=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $started}")
geom=$(xdotool getwindowgeometry "$wid" | tr -s ' \n' ' ')
say "window $wid '$(xdotool getwindowname "$wid")' after ${window_after}s:$geom"

# --- 2. the SPA renders, and the picture settles ---------------------------
# Poll instead of sleeping a fixed time: rendered = enough colours, settled =
# two frames in a row (0.5 s apart) identical.
prev='' rendered=''
deadline=$((SECONDS + RENDER_TIMEOUT))
i=0
while [ $SECONDS -lt $deadline ]; do
  kill -0 "$app_pid" 2>/dev/null || fail "castdesk exited while rendering"
  i=$((i + 1))
  f="$tmp/frame-$i.png"
  shot "$f"
  c=$(colours "$f")
  if [ -n "$prev" ] && [ "$c" -ge "$MIN_COLOURS" ] && [ "$(changed "$prev" "$f")" -eq 0 ]; then
    rendered=$f
    break
  fi
  prev=$f
  sleep 0.5
done
[ -n "$rendered" ] || { cp "$f" "$ART/window.png"; fail "the window did not render a settled picture with >= $MIN_COLOURS colours within ${RENDER_TIMEOUT}s (last: $c colours; see $ART/window.png)"; }
cp "$rendered" "$ART/window.png"
import -window "$wid" "$ART/window-only.png" 2>/dev/null || true
render_after=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $started}")
colours_setup=$(colours "$ART/window.png")
changed_px=$(changed "$ART/blank.png" "$ART/window.png")
changed_pct=$((changed_px * 100 / total_px))
say "setup screen rendered after ${render_after}s: $colours_setup colours, $changed_px of $total_px pixels (${changed_pct}%) differ from the blank frame"
[ "$changed_pct" -ge "$MIN_CHANGED_PCT" ] || fail "only ${changed_pct}% of the screen changed (want >= ${MIN_CHANGED_PCT}%): the window looks blank (see $ART/window.png)"

# --- 3. mouse and keyboard: fill in the setup form --------------------------
# A click on the page background, left of the card, lands on <main> (which has
# tabindex=-1, so the click focuses it); the next Tab goes to the first field
# of the setup form (Username), then Name, Email, Password, Confirm password.
xdotool windowfocus --sync "$wid" 2>/dev/null || true
xdotool mousemove --window "$wid" 20 600 click 1
sleep 0.3
type_field() { xdotool type --delay 15 "$1"; }
xdotool key Tab
sleep 0.2
shot "$ART/focus-username.png"
type_field "$ADMIN_USER"; xdotool key Tab
type_field "Desk Admin"; xdotool key Tab
type_field "desk@example.org"; xdotool key Tab
type_field "$ADMIN_PASS"; xdotool key Tab
type_field "$ADMIN_PASS"
# WebKit repaints on its own schedule: poll for the typed text to show.
typed_px=0
for _ in $(seq 20); do
  shot "$ART/setup-filled.png"
  typed_px=$(changed "$ART/window.png" "$ART/setup-filled.png")
  [ "$typed_px" -gt 500 ] && break
  sleep 0.5
done
say "typed into the setup form: $typed_px pixels changed"
[ "$typed_px" -gt 500 ] || fail "typing changed only $typed_px pixels: the window does not take keyboard input (see $ART/setup-filled.png)"
xdotool key Return

# The home screen replaces the setup form: wait for a settled frame that is
# clearly not the filled-in form.
home=''
prev=''
deadline=$((SECONDS + 60))
while [ $SECONDS -lt $deadline ]; do
  i=$((i + 1))
  f="$tmp/frame-$i.png"
  shot "$f"
  if [ "$(changed "$ART/setup-filled.png" "$f")" -gt $((total_px / 20)) ] && [ -n "$prev" ] && [ "$(changed "$prev" "$f")" -eq 0 ]; then
    home=$f
    break
  fi
  prev=$f
  sleep 0.5
done
[ -n "$home" ] || { cp "$f" "$ART/after-submit.png"; fail "the screen did not change to the home screen after submitting the setup form (see $ART/after-submit.png)"; }
cp "$home" "$ART/home.png"
say "after submitting: home screen, $(colours "$ART/home.png") colours, $(changed "$ART/setup-filled.png" "$ART/home.png") pixels differ from the form"

# --- close the app -----------------------------------------------------------
kill -TERM "$app_pid" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app_pid" 2>/dev/null; then
  say "castdesk did not stop within 10 s of SIGTERM; killing it"
  kill -KILL "$app_pid" 2>/dev/null || true
fi
wait "$app_pid" 2>/dev/null || true
app_pid=''

# --- the account the window created is in the database ----------------------
if out=$(printf '%s\n' "Another-Corr3ct-Horse" | "$BIN" admin reset-password "$ADMIN_USER" --password-stdin --data "$tmp/data" 2>&1); then
  say "console sees the administrator created in the window: $out"
else
  fail "the administrator '$ADMIN_USER' typed into the window is not in the database: $out"
fi
if grep -E "panic:|fatal error:" "$ART/app.log" >/dev/null; then
  fail "castdesk printed a panic (see $ART/app.log)"
fi
say "OK: window, rendering, keyboard input and the bindings behind them all work (screenshots in artifacts/desktop/)"
