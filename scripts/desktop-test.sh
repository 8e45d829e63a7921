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
#      SQLite, all real;
#   4. it behaves like a desktop application (what the text on screen says is
#      read back with tesseract): F10 opens the menu bar, whose labels follow
#      the interface language; Help → About Castdesk opens About; File → Open
#      data folder hands the data directory to the file manager (a recording
#      xdg-open); Ctrl+Q in the middle of a copy asks first, naming it, and
#      No keeps the window; Ctrl+Q quits; a restart brings the window back at the size
#      and place it was left in; a second launch on the same data directory
#      brings the first window forward and exits; switching the language in
#      the page relabels the menu at once.
# Screenshots and logs go to artifacts/desktop/ (menu-*-en.png, about-en.png,
# menu-*-es.png, about-es.png: the menu and About in both languages).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The app may use the Secret Service, and WebKit/GTK expect a session bus:
# run the whole test inside scripts/with-keyring.sh.
[ -n "${CASTDESK_KEYRING_SESSION:-}" ] || exec scripts/with-keyring.sh "$0" "$@"

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

for tool in Xvfb xdotool import identify compare convert tesseract; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing (scripts/install-deps.sh installs xvfb, xdotool, imagemagick, tesseract-ocr)"
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
. "$root/scripts/xvfb.sh"
start_xvfb 99 "$SCREEN" "$ART/xvfb.log"
sleep 0.3
kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb on $DISPLAY exited right after starting (another X server on that number?) (see $ART/xvfb.log)"
say "Xvfb on $DISPLAY ($SCREEN), geometry $(xdotool getdisplaygeometry)"

shot() { import -window root "$1"; }
colours() { identify -format %k "$1"; }
# The page's colours only: the window below its menu bar (the menu bar's text
# alone has enough shades to look "rendered").
MENUBAR_H=${MENUBAR_H:-26}
page_colours() {
  if [ -n "${win_w:-}" ]; then
    convert "$1" -crop "${win_w}x$((win_h - MENUBAR_H))+${win_x}+$((win_y + MENUBAR_H))" +repage "$tmp/page.png"
    colours "$tmp/page.png"
  else
    colours "$1"
  fi
}
window_geometry() { # sets win_x win_y win_w win_h of window $1
  eval "$(xdotool getwindowgeometry --shell "$1")"
  win_x=$X win_y=$Y win_w=$WIDTH win_h=$HEIGHT
}
# ocr FILE [WxH+X+Y]: the text in (part of) a screenshot, on one line.
ocr() {
  if [ -n "${2:-}" ]; then convert "$1" -crop "$2" +repage "$tmp/ocr-in.png"; else cp "$1" "$tmp/ocr-in.png"; fi
  convert "$tmp/ocr-in.png" -colorspace Gray -resize 200% "$tmp/ocr.png"
  tesseract "$tmp/ocr.png" - 2>/dev/null | tr -s ' \n\t' ' '
}
# see TEXT SHOT_NAME [REGION] [TIMEOUT]: poll the screen until the region shows
# TEXT (WebKit and GTK repaint on their own schedule); keep the frame as
# artifacts/desktop/SHOT_NAME.png.
# sees: the same, but answers false instead of failing (last_read keeps the text).
last_read=''
sees() {
  local want=$1 name=$2 region=${3:-} limit=${4:-20}
  local deadline=$((SECONDS + limit))
  while :; do
    shot "$ART/$name.png"
    last_read=$(ocr "$ART/$name.png" "$region")
    case "$last_read" in *"$want"*) say "$name: sees \"$want\""; return 0 ;; esac
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}
see() {
  local want=$1 name=$2 region=${3:-} limit=${4:-20}
  sees "$want" "$name" "$region" "$limit" ||
    fail "$name: \"$want\" is not on screen within ${limit}s; read: \"$last_read\" (see $ART/$name.png)"
}
# A native popup (a GTK menu, a select's list) is a window of its own: the
# count of visible windows says when one has opened.
visible_windows() { xdotool search --onlyvisible --name '' 2>/dev/null | wc -l; }
popup_opened() { # popup_opened COUNT_BEFORE LIMIT
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt "$deadline" ]; do
    [ "$(visible_windows)" -gt "$1" ] && return 0
    sleep 0.2
  done
  return 1
}
menubar_region() { echo "${win_w}x${MENUBAR_H}+${win_x}+${win_y}"; }
# click_text WORD SHOT_NAME: click the first word WORD the window shows
# (tesseract's word boxes), polling until it is there.
text_pos() { # text_pos WORD SHOT_NAME: sets pos_x pos_y (screen) of the first word WORD
  local word=$1 name=$2 pos='' deadline=$((SECONDS + 30))
  while [ -z "$pos" ]; do
    shot "$ART/$name.png"
    convert "$ART/$name.png" -crop "${win_w}x${win_h}+${win_x}+${win_y}" +repage -colorspace Gray -resize 200% "$tmp/click.png"
    pos=$(tesseract "$tmp/click.png" - tsv 2>/dev/null | awk -F'\t' -v w="$word" '!found && $12 == w { print int($7 / 2 + $9 / 4), int($8 / 2 + $10 / 4); found = 1 }' || true)
    [ -n "$pos" ] || { [ $SECONDS -lt $deadline ] || fail "$name: no \"$word\" to click (see $ART/$name.png)"; sleep 0.5; }
  done
  set -- $pos
  pos_x=$((win_x + $1)) pos_y=$((win_y + $2))
}
click_at() {
  xdotool mousedown 1
  sleep 0.1
  xdotool mouseup 1
}
click_text() {
  text_pos "$1" "$2"
  xdotool mousemove "$pos_x" "$pos_y"
  sleep 0.3
  click_at
  say "$2: clicked \"$1\""
}
menu_region() { echo "520x260+${win_x}+${win_y}"; } # the menu bar and an open menu below it
# Pixels that differ between two frames (ImageMagick prints the count on stderr).
changed() { compare -metric AE "$1" "$2" null: 2>&1 | awk '{printf "%d", $1}' || true; }
total_px=$(xdotool getdisplaygeometry | awk '{print $1 * $2}')

shot "$ART/blank.png"
say "blank frame: $(colours "$ART/blank.png") colour(s)"

# --- start the app with every place WebKit writes to in temp dirs ----------
mkdir -p "$tmp/data" "$tmp/xdg-data" "$tmp/xdg-cache" "$tmp/xdg-config" "$tmp/bin"
# The file manager: an xdg-open that records what it was asked to open.
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s/xdg-open.log"\n' "$tmp" >"$tmp/bin/xdg-open"
chmod +x "$tmp/bin/xdg-open"
# The same environment for every launch (the window keeps its WebKit storage
# and its state file between runs, like a user's session).
castdesk() {
  XDG_DATA_HOME="$tmp/xdg-data" XDG_CACHE_HOME="$tmp/xdg-cache" XDG_CONFIG_HOME="$tmp/xdg-config" \
  NO_AT_BRIDGE=1 LANGUAGE=en PATH="$tmp/bin:$PATH" \
    "$BIN" --data "$tmp/data" "$@"
}
started=$(date +%s.%N)
castdesk >"$ART/app.log" 2>&1 &
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
window_geometry "$wid"
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
  c=$(page_colours "$f")
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

# --- 4. a desktop application ------------------------------------------------
# The menu bar, in English, opened with the keyboard (F10, as GTK has it).
window_geometry "$wid"
see "File Edit View Help" menubar-en "$(menubar_region)"
xdotool key F10
see "New customer" menu-file-en "$(menu_region)"
see "Quit" menu-file-en "$(menu_region)"
xdotool key Right
see "Select all" menu-edit-en "$(menu_region)"
xdotool key Right Right
see "About Castdesk" menu-help-en "$(menu_region)"
see "Third-party licences" menu-help-en "$(menu_region)"
# Help -> About Castdesk (the last item: Up from the first wraps to it).
xdotool key Up Return
page_region="${win_w}x$((win_h - MENUBAR_H))+${win_x}+$((win_y + MENUBAR_H))"
see "About Castdesk" about-en "$page_region"
see "Data folder" about-en "$page_region"

# File -> Open data folder: the file manager is asked to show the data directory.
xdotool key F10
sleep 0.3
xdotool key Down Down Return
opened=''
for _ in $(seq 40); do
  opened=$(cat "$tmp/xdg-open.log" 2>/dev/null || true)
  [ -n "$opened" ] && break
  sleep 0.25
done
[ "$opened" = "$tmp/data" ] || fail "File -> Open data folder asked the file manager for '$opened', want '$tmp/data'"
say "File -> Open data folder: xdg-open $opened"

# Quitting in the middle of a task asks first, naming it. A large file
# picked in the native file picker is copied in while Ctrl+Q is pressed; the
# question is answered No, the window stays, the copy lands; the later quit
# asks nothing.
truncate -s 1G "$tmp/big.mp3"
xdotool key g h
# The first-steps checklist on a new admin's Home pushes the quick links
# below the fold: hide it, as an admin who has read it would.
click_text Hide home-hide-steps
see "Quick links" home-steps-hidden "$page_region"
click_text account home-for-media
click_text library overview
# "Choose files" is white on a dark button, which tesseract does not read:
# click between the hint above it ("or choose them ...") and the size limit
# below it ("Up to 2 GB per file."), under the centre of "Drop files here". The
# page may still scroll (focus moves to its heading), so the place is read
# until two looks agree, and the click is tried again if no picker opens.
choose_files_at() {
  shot "$ART/media-library.png"
  convert "$ART/media-library.png" -crop "${win_w}x${win_h}+${win_x}+${win_y}" +repage -colorspace Gray -resize 200% "$tmp/click.png"
  tesseract "$tmp/click.png" - tsv 2>/dev/null | awk -F'\t' '
    $1 == 5 && $12 == "Drop" && !dl { dl = $7 }
    $1 == 5 && $12 == "here" && dl && !dr { dr = $7 + $9 }
    $1 == 5 && $12 == "choose" && !cy { cy = $8 + $10 / 2 }
    $1 == 5 && $12 == "Up" && cy && !uy { uy = $8 + $10 / 2 }
    END { if (dl && dr && cy && uy) print int((dl + dr) / 4), int((cy + uy) / 4) }' || true
}
picker=''
for attempt in 1 2 3 4; do
  pos='' before=''
  for _ in $(seq 60); do
    pos=$(choose_files_at)
    [ -n "$pos" ] && [ "$pos" = "$before" ] && break
    before=$pos
    sleep 0.5
  done
  [ -n "$pos" ] || fail "no Choose files button found in the media library (see $ART/media-library.png)"
  set -- $pos
  xdotool mousemove $((win_x + $1)) $((win_y + $2))
  sleep 0.3
  xdotool mousedown 1
  sleep 0.1
  xdotool mouseup 1
  say "media-library: clicked Choose files at $((win_x + $1)),$((win_y + $2)) (attempt $attempt)"
  for _ in $(seq 40); do
    picker=$(xdotool search --onlyvisible --name '^Add media files$' 2>/dev/null | head -n 1 || true)
    [ -n "$picker" ] && break 2
    sleep 0.25
  done
done
[ -n "$picker" ] || fail "Choose files did not open the file picker (see $ART/media-library.png)"
xdotool windowfocus --sync "$picker" 2>/dev/null || true
xdotool key ctrl+l
sleep 0.5
xdotool type --delay 10 "$tmp/big.mp3"
sleep 0.3
xdotool key Return
sleep 0.5
xdotool windowfocus --sync "$wid" 2>/dev/null || true
xdotool key ctrl+q
question=''
for _ in $(seq 80); do
  question=$(xdotool search --onlyvisible --name '^Quit Castdesk\?$' 2>/dev/null | head -n 1 || true)
  [ -n "$question" ] && break
  sleep 0.25
done
[ -n "$question" ] || { shot "$ART/quit-question-en.png"; fail "Ctrl+Q during a copy did not ask (see $ART/quit-question-en.png)"; }
see "Quitting now would interrupt" quit-question-en
see "Adding files to a media folder" quit-question-en
xdotool windowfocus --sync "$question" 2>/dev/null || true
xdotool key Escape
sleep 1
kill -0 "$app_pid" 2>/dev/null || fail "the window quit although the question was answered No"
landed=''
for _ in $(seq 240); do
  [ -f "$tmp/data/content/user_1/big.mp3" ] && { landed=1; break; }
  sleep 0.25
done
[ -n "$landed" ] || fail "the file picked did not land in the media folder within 60 s"
say "Ctrl+Q during a copy asked first (\"Adding files to a media folder\"); No kept the window, and the copy landed"
rm -f "$tmp/big.mp3" "$tmp/data/content/user_1/big.mp3"
# Back to About.
xdotool key F10
sleep 0.3
xdotool key Left
sleep 0.3
xdotool key Up Return
see "About Castdesk" about-again "$page_region"

# The language, switched in the page (its list in the header, by its text):
# the menu follows at once.
# Its list is a native GTK popup that opens on WebKit's schedule: wait for its
# window to show before closing it (Escape), then Down picks the next language on the
# focused list. On a loaded machine the popup can open late and eat the keys,
# so the page is checked and the switch tried again (at most 3 times); only
# then is the menu checked, so a failure says which of the two did not follow.
switched=''
for attempt in 1 2 3; do
  text_pos English "language-list-$attempt"
  xdotool mousemove "$pos_x" "$pos_y"
  sleep 0.5
  before=$(visible_windows)
  click_at
  if popup_opened "$before" 10; then
    sleep 0.3
    xdotool key Escape   # closes the popup; the list keeps the focus
    sleep 0.5
  else
    say "attempt $attempt: no popup within 10 s; the list has the focus anyway"
  fi
  xdotool key Down
  if sees "Acerca de Castdesk" about-es "$page_region" 30; then switched=1; break; fi
  say "attempt $attempt: the page did not switch to Spanish (read: \"$last_read\"); again"
  sees "English" "list-before-$attempt" "$page_region" 1 || break # it did, late, or About closed: checked below
  sees "About Castdesk" "about-before-$attempt" "$page_region" 1 || {
    # Escape reached the page and closed About: open it again from the menu.
    xdotool key F10; sleep 0.3; xdotool key Left; sleep 0.3; xdotool key Up Return
    see "About Castdesk" "about-again-$attempt" "$page_region"
  }
done
[ -n "$switched" ] || see "Acerca de Castdesk" about-es "$page_region"
see "Archivo Editar Ver Ayuda" menubar-es "$(menubar_region)"
xdotool key F10
see "Nuevo cliente" menu-file-es "$(menu_region)"
xdotool key Right Right Right
see "Acerca de Castdesk" menu-help-es "$(menu_region)"
xdotool key Escape Escape

# Leave the window smaller, elsewhere, then quit with Ctrl+Q.
xdotool windowsize "$wid" 1000 700
xdotool windowmove "$wid" 100 80
want_state='"width":1000,"height":700,"x":100,"y":80'
state=''
for _ in $(seq 40); do
  state=$(tr -d ' \n' <"$tmp/data/window.json" 2>/dev/null || true)
  case "$state" in *"$want_state"*) break ;; esac
  sleep 0.25
done
case "$state" in *"$want_state"*) ;; *) fail "window.json does not remember 1000x700 at 100,80: $state" ;; esac
say "window.json: $state"
xdotool windowfocus --sync "$wid" 2>/dev/null || true
xdotool key ctrl+q
quit_ok=''
for _ in $(seq 150); do kill -0 "$app_pid" 2>/dev/null || { quit_ok=1; break; }; sleep 0.1; done
[ -n "$quit_ok" ] || fail "Ctrl+Q did not quit within 15 s"
wait "$app_pid" && rc=0 || rc=$?
app_pid=''
[ "$rc" = 0 ] || fail "castdesk exited with status $rc after Ctrl+Q"
say "Ctrl+Q quit the window (status 0)"

# --- 5. the restart: the same size and place, the menu in Spanish -----------
castdesk >"$ART/app-2.log" 2>&1 &
app_pid=$!
wid=''
deadline=$((SECONDS + WINDOW_TIMEOUT))
while [ -z "$wid" ]; do
  kill -0 "$app_pid" 2>/dev/null || fail "castdesk exited before its window appeared on the restart (see $ART/app-2.log)"
  [ $SECONDS -lt $deadline ] || fail "no window within ${WINDOW_TIMEOUT}s on the restart"
  wid=$(timeout 2 xdotool search --sync --onlyvisible --name '^Castdesk$' 2>/dev/null | head -n 1 || true)
done
for _ in $(seq 40); do
  window_geometry "$wid"
  [ "$win_w" = 1000 ] && [ "$win_h" = 700 ] && [ "$win_x" = 100 ] && [ "$win_y" = 80 ] && break
  sleep 0.25
done
[ "$win_w x $win_h at $win_x,$win_y" = "1000 x 700 at 100,80" ] \
  || fail "after a restart the window is ${win_w}x${win_h} at $win_x,$win_y, want 1000x700 at 100,80"
say "restarted at its remembered size and place: ${win_w}x${win_h} at $win_x,$win_y"
see "Archivo Editar Ver Ayuda" restart-es "$(menubar_region)" 60

# A second launch on the same data directory: the first window comes forward
# and the second process leaves at once, without a window of its own.
second=$(castdesk 2>&1 & pid2=$!; for _ in $(seq 300); do kill -0 $pid2 2>/dev/null || break; sleep 0.1; done
  if kill -0 $pid2 2>/dev/null; then kill -KILL $pid2; echo "(still running after 30 s)"; fi; wait $pid2) \
  || fail "a second launch on the same data directory failed: $second"
case "$second" in *"already open"*) ;; *) fail "a second launch did not say the window is already open: $second" ;; esac
windows=$(xdotool search --onlyvisible --name '^Castdesk$' 2>/dev/null | wc -l)
[ "$windows" = 1 ] || fail "$windows windows named Castdesk after a second launch, want 1"
say "second launch: \"$second\"; still one window"

xdotool windowfocus --sync "$wid" 2>/dev/null || true
xdotool key ctrl+q
for _ in $(seq 150); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app_pid" 2>/dev/null; then
  kill -KILL "$app_pid" 2>/dev/null || true
  fail "Ctrl+Q did not quit the restarted window within 15 s"
fi
wait "$app_pid" 2>/dev/null || true
app_pid=''

# --- the account the window created is in the database ----------------------
if out=$(printf '%s\n' "Another-Corr3ct-Horse" | "$BIN" admin reset-password "$ADMIN_USER" --password-stdin --data "$tmp/data" 2>&1); then
  say "console sees the administrator created in the window: $out"
else
  fail "the administrator '$ADMIN_USER' typed into the window is not in the database: $out"
fi
if grep -E "panic:|fatal error:" "$ART/app.log" "$ART/app-2.log" >/dev/null; then
  fail "castdesk printed a panic (see $ART/app.log, $ART/app-2.log)"
fi
say "OK: window, rendering, keyboard input, the bindings, the menu in two languages, About, Open data folder, the question before quitting mid-copy, the remembered size and place and one window per data directory all work (screenshots in artifacts/desktop/)"
