#!/usr/bin/env bash
# bench-demo.sh — time `wangge-server demo` with a million cases (the load-test township)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: benchmarks/demo/bench-demo.sh [PATH/TO/wangge-server]
#        (default: $WANGGE_SERVER, else _build/src/server/wangge-server)
# Tunables: CASES (default 1000000), SEED (1), DIR (a temporary directory, removed after;
#           give one on a disk with ~9 GB free to keep the result).
#
# Prints the wall time, the program's own figure and the database's size. The target is
# under two minutes for 1M cases on two cores. Real password hashing is used, as a user
# would run it (the seven demo passwords take well under a second).
set -euo pipefail

server=${1:-${WANGGE_SERVER:-_build/src/server/wangge-server}}
cases=${CASES:-1000000}
seed=${SEED:-1}
keep=${DIR:-}
dir=${keep:-$(mktemp -d)/demo}

cleanup () {
  [ -z "$keep" ] && rm -rf "$(dirname "$dir")"
  return 0
}
trap cleanup EXIT

start=$(date +%s.%N)
"$server" demo --data-dir "$dir" --seed "$seed" --cases "$cases" --now 2026-11-24T08:00:00Z 2>/dev/null | head -3
end=$(date +%s.%N)
size=$(du -sh "$dir" | cut -f1)
printf 'bench-demo: %s cases in %.1f s wall (%d cores), database %s\n' \
  "$cases" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$(nproc)" "$size"
