#!/usr/bin/env bash
# Soak: the release binary on a fresh file database with the fixtures imported, 64 connections
# of pages, feeds, search and API requests (wrk + bench/soak.lua), a host saving an episode in the
# admin every second (bench/admin_saver.py: sign-in, editor form, CSRF) and a write every second
# from beside the server (`import notes` of an episode whose text changes each time).
# Reports errors (goal 0) and the server's resident memory (VmRSS) at start and end (goal: flat
# within 10%). Usage: bench/soak.sh [MINUTES]   (default 5). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-5}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/shownotes"
work="$(mktemp -d)"
trap 'kill ${server:+"$server"} ${writer:+"$writer"} ${saver:+"$saver"} ${sampler:+"$sampler"} 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/soak.db"
# Every fixture episode but the seed, which is episode 434 again.
"$bin" --db "$db" import notes $(ls tests/fixtures/notes/*.md | grep -v seed) >/dev/null
"$bin" --db "$db" import talks tests/fixtures/pyvideo >/dev/null
port=18435
password="soak-$RANDOM-$RANDOM-password"
printf '%s\n' "$password" | "$bin" --db "$db" user add --email soak@example.com --role host >/dev/null
RUST_LOG=warn "$bin" serve --db "$db" --addr "127.0.0.1:$port" 2>/dev/null &
server=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }

# A write every second: the same episode file, one line different each time.
write_loop() {
  local i=0 failed=0
  while :; do
    i=$((i + 1))
    { echo "# #900: Soak $i"; echo; echo "**Brian #1:** [**Write $i**](https://soak.example/$i)"; echo; echo "- note $i"; } > "$work/900.md"
    "$bin" --db "$db" import notes "$work/900.md" >/dev/null 2>>"$work/write-errors" || failed=$((failed + 1))
    echo "$i $failed" > "$work/writes"
    sleep 1
  done
}
write_loop &
writer=$!
python3 bench/admin_saver.py "http://127.0.0.1:$port" soak@example.com "$password" "$work/saves" 2>>"$work/save-errors" &
saver=$!

# A minute's warm-up fills caches and pools; memory is measured from there.
wrk -t2 -c64 -d60s -s bench/soak.lua "http://127.0.0.1:$port" >/dev/null
start_rss=$(rss)
# Memory every minute: a plateau (allocator arenas, caches filling to their bounds) reads
# differently from a leak, which climbs the whole way.
( while sleep 60; do rss >> "$work/rss-series"; done ) &
sampler=$!
wrk -t2 -c64 -d"$((minutes * 60 - 60))s" --timeout 10s -s bench/soak.lua "http://127.0.0.1:$port" | tee "$work/wrk.txt"
end_rss=$(rss)
kill "$sampler" 2>/dev/null || true
kill "$writer" "$saver"; wait "$writer" "$saver" 2>/dev/null || true
read -r writes write_failures < "$work/writes"
read -r saves save_failures < "$work/saves" || { saves=0; save_failures=1; }
tail -5 "$work/save-errors" 2>/dev/null || true
non_ok=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt"); non_ok=${non_ok:-0}
socket=$(awk -F'[ ,]+' '/Socket errors/ { s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s }' "$work/wrk.txt"); socket=${socket:-0}
echo "== ${minutes} min: requests non-2xx/3xx $non_ok, socket errors $socket, writes $writes (failed $write_failures), admin saves $saves (failed $save_failures)"
echo "== VmRSS start ${start_rss} kB, end ${end_rss} kB ($(( (end_rss - start_rss) * 100 / start_rss ))%)"
echo "== VmRSS each minute (kB): $(tr '\n' ' ' < "$work/rss-series" 2>/dev/null)"
[ "$non_ok" = 0 ] && [ "$socket" = 0 ] && [ "$write_failures" = 0 ] && [ "$saves" -gt 0 ] && [ "$save_failures" = 0 ]
