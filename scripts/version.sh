#!/usr/bin/env sh
# version.sh — the one version of a build, taken from git, for the binary
# (main.version), the packages and the Windows version resource.
#
#   scripts/version.sh            1.2.0 on a tag v1.2.0; 1.2.0+3.g1a2b3c4 three commits
#                                 after it; 0.0.0+git70.g1a2b3c4 with no tag yet
#                                 (70 commits: it grows with every commit, so
#                                 packages upgrade in order); ".dirty" is added
#                                 when tracked files have uncommitted changes
#   scripts/version.sh --commit   the commit, 12 hex digits (empty outside git)
#   scripts/version.sh --epoch    the commit's time (SOURCE_DATE_EPOCH for packages)
#   scripts/version.sh --windows  four numbers for a Windows VERSIONINFO: 1.2.0.3
#
# Valid as a Debian version (native), a semver and a Windows product version.
set -eu
cd "$(dirname "$0")/.."

in_git() { git rev-parse --git-dir >/dev/null 2>&1; }

commit() { in_git && git rev-parse --short=12 HEAD 2>/dev/null || true; }

# base N HASH: the latest v<digit> tag, the commits after it, the short hash.
describe() {
  if d=$(git describe --tags --long --match 'v[0-9]*' --abbrev=7 2>/dev/null); then
    hash=${d##*-g}
    rest=${d%-g*}
    n=${rest##*-}
    base=${rest%-*}
    base=${base#v}
    echo "$base $n $hash"
  else
    echo "0.0.0 $(git rev-list --count HEAD) $(git rev-parse --short=7 HEAD)"
  fi
}

version() {
  if ! in_git; then
    echo "0.0.0+unknown"
    return
  fi
  set -- $(describe)
  base=$1 n=$2 hash=$3
  if [ "$base" = 0.0.0 ] && ! git describe --tags --match 'v[0-9]*' >/dev/null 2>&1; then
    v="0.0.0+git$n.g$hash"
  elif [ "$n" = 0 ]; then
    v=$base
  else
    v="$base+$n.g$hash"
  fi
  if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    case $v in *+*) v="$v.dirty" ;; *) v="$v+dirty" ;; esac
  fi
  echo "$v"
}

case ${1:-} in
  "") version ;;
  --commit) commit ;;
  --epoch) if in_git; then git log -1 --format=%ct; else echo 0; fi ;;
  --windows)
    if in_git; then set -- $(describe); else set -- 0.0.0 0 x; fi
    # 1.2.0 (or 1.2, 1.2.0-rc1) -> 1.2.0; each part at most 65535.
    nums=$(echo "$1" | sed 's/[^0-9.].*//' | awk -F. '{ printf "%d.%d.%d", $1, $2, $3 }')
    n=$2
    [ "$n" -gt 65535 ] && n=65535
    echo "$nums.$n" ;;
  *) echo "usage: scripts/version.sh [--commit|--epoch|--windows]" >&2; exit 2 ;;
esac
