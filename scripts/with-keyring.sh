#!/usr/bin/env bash
# with-keyring.sh CMD [ARGS...] — run CMD inside a private D-Bus session with a
# real, unlocked Secret Service (gnome-keyring), as the Go tests and the app
# need on a headless machine.
#
# The keyring lives in a throw-away XDG_DATA_HOME (not HOME: changing HOME
# would move Go's build and module caches and make every run cold), and its
# control socket in a throw-away XDG_RUNTIME_DIR. The keyring's password is a
# throw-away too; nothing here is secret.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring.sh: '$tool' is missing; run scripts/install-deps.sh (packages dbus, gnome-keyring)" >&2
    exit 127
  fi
done

# Inside this script a Secret Service is promised: the Go keyring tests fail
# (instead of skipping) when they cannot reach it.
export CASTDESK_REQUIRE_KEYRING="${CASTDESK_REQUIRE_KEYRING:-1}"
# A script that needs the session re-runs itself through this one unless it
# is set: [ -n "${CASTDESK_KEYRING_SESSION:-}" ] || exec scripts/with-keyring.sh "$0" "$@"
export CASTDESK_KEYRING_SESSION=1

keyring_tmp=$(mktemp -d "${TMPDIR:-/tmp}/castdesk-keyring.XXXXXX")
mkdir -m 700 "$keyring_tmp/data" "$keyring_tmp/run"
trap 'rm -rf "$keyring_tmp"' EXIT

# Inside the session:
#  - the daemon forks and answers before it owns its bus name; a client that
#    asks too early would D-Bus-activate a second, locked daemon, so wait for
#    org.freedesktop.secrets to have an owner;
#  - the daemon does not always notice the end of the bus, so stop it by the
#    PID the bus reports for that name once CMD is done.
set +e
KEYRING_TMP="$keyring_tmp" dbus-run-session -- sh -c '
  export XDG_DATA_HOME="$KEYRING_TMP/data" XDG_RUNTIME_DIR="$KEYRING_TMP/run"
  unset KEYRING_TMP
  env_lines=$(printf pw | gnome-keyring-daemon --unlock --components=secrets) || {
    echo "with-keyring.sh: gnome-keyring-daemon did not start" >&2; exit 125; }
  eval "$env_lines"
  export GNOME_KEYRING_CONTROL
  bus() { dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / "org.freedesktop.DBus.$1" string:org.freedesktop.secrets 2>/dev/null; }
  i=0
  until bus NameHasOwner | grep -q true; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then echo "with-keyring.sh: the Secret Service did not appear on D-Bus within 10 s" >&2; exit 125; fi
    sleep 0.1
  done
  daemon_pid=$(bus GetConnectionUnixProcessID | awk "{print \$NF}")
  "$@"
  rc=$?
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
  exit $rc
' with-keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)
rc=$?
set -e
exit $rc
