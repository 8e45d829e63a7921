# xvfb.sh — sourced by the scripts that need a virtual X display
# (desktop-test.sh, bench-window.sh). start_xvfb FIRST_NUMBER SCREEN LOG
# starts Xvfb on the first free display number from FIRST_NUMBER, exports
# DISPLAY and sets xvfb_pid; it calls the caller's fail() when it cannot.
# Another run may take the same number between our check and Xvfb's start:
# then Xvfb exits at once and the next number is tried.
start_xvfb() {
  local n=$1 screen=$2 log=$3
  unset WAYLAND_DISPLAY
  xvfb_pid=''
  for _attempt in $(seq 10); do
    while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
    export DISPLAY=":$n"
    Xvfb "$DISPLAY" -screen 0 "$screen" -nolisten tcp >"$log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 100); do
      kill -0 "$xvfb_pid" 2>/dev/null || break
      xdotool getdisplaygeometry >/dev/null 2>&1 && return 0
      sleep 0.1
    done
    if kill -0 "$xvfb_pid" 2>/dev/null; then fail "Xvfb on $DISPLAY did not answer within 10 s (see $log)"; fi
    wait "$xvfb_pid" 2>/dev/null || true
    xvfb_pid=''
    n=$((n + 1))
  done
  fail "could not start Xvfb on any of 10 display numbers (see $log)"
}
