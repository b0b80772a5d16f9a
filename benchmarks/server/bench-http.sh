#!/usr/bin/env bash
# bench-http.sh — small GET requests per second under wrk on loopback, next to a static response
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: benchmarks/server/bench-http.sh [PATH/TO/wangge-server]
#        (default: $WANGGE_SERVER, else _build/src/server/wangge-server)
# Tunables: DURATION (s, default 10), THREADS (2), CONNECTIONS (32).
#
# Starts wangge-server on a free loopback port with a fresh data directory holding one
# case, then runs wrk twice with the same settings: GET /api/v1/cases/{id} (token check,
# storage read, ETag) and GET /api/v1/health (a constant body, no token, no storage): the
# second is what the HTTP layer alone can do, the first what a real small read costs.
set -euo pipefail

server=${1:-${WANGGE_SERVER:-_build/src/server/wangge-server}}
duration=${DURATION:-10}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "bench-http: wrk is missing (apt install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench-http: curl is missing" >&2; exit 1; }

dir=$(mktemp -d)
pid=
cleanup () {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

"$server" init --data-dir "$dir" >/dev/null 2>&1
# The benchmark measures requests, not sign-in: a cheap password hash is fine here.
printf 'bench-password-1\n' | WANGGE_SERVER_TEST_FAST_HASH=1 \
  "$server" add-account --data-dir "$dir" --username bench --role admin >/dev/null 2>&1
"$server" serve --data-dir "$dir" --port 0 >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do [ -s "$dir/out" ] && break; sleep 0.05; done
url=$(sed -n 's/^listening on \(.*\)\/$/\1/p' "$dir/out")
[ -n "$url" ] || { cat "$dir/log" >&2; exit 1; }

token=$(curl -sf -X POST "$url/api/v1/session" -H 'Content-Type: application/json' \
          -d '{"username":"bench","password":"bench-password-1"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
id=$(curl -sf -X POST "$url/api/v1/cases" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
       -d '{"title":"路灯不亮","source":"grid_patrol","description":"主干道路灯夜间不亮"}' \
     | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
size=$(curl -sf "$url/api/v1/cases/$id" -H "Authorization: Bearer $token" | wc -c)

run () {
  wrk -t"$threads" -c"$connections" -d"${duration}s" "$@" | tee -a "$dir/wrk.txt" \
    | sed -n 's/^Requests\/sec: *//p'
}
echo "wrk -t$threads -c$connections -d${duration}s on $(nproc) CPUs, $(uname -m)"
case_rps=$(run -H "Authorization: Bearer $token" "$url/api/v1/cases/$id")
health_rps=$(run "$url/api/v1/health")
printf '  %-48s %10s requests/s\n' "GET /api/v1/cases/{id} ($size-byte case)" "$case_rps"
printf '  %-48s %10s requests/s\n' "GET /api/v1/health (static body, same server)" "$health_rps"
awk -v a="$case_rps" -v b="$health_rps" 'BEGIN { printf "  case read / static: %.0f%%\n", 100 * a / b }'
grep -h "Latency " "$dir/wrk.txt" | sed 's/^/  /'
