#!/usr/bin/env bash
# Requests/s for /episodes/434 under load, with oha or wrk if installed.
# Usage: bench/load.sh [seconds]   (default 10). Starts its own server on a temporary database.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
cargo build --release --quiet
work="$(mktemp -d)"
trap 'kill ${server:+"$server"} 2>/dev/null || true; rm -rf "$work"' EXIT
bin="${CARGO_TARGET_DIR:-target}/release/shownotes"
"$bin" --db "$work/bench.db" import episode tests/fixtures/episodes/python-bytes-434.json >/dev/null
RUST_LOG=warn "$bin" serve --db "$work/bench.db" --addr 127.0.0.1:18434 &
server=$!
for _ in $(seq 50); do curl -fsS http://127.0.0.1:18434/healthz >/dev/null 2>&1 && break; sleep 0.1; done
url=http://127.0.0.1:18434/episodes/434
if command -v oha >/dev/null; then
  oha --no-tui -z "${seconds}s" -c 64 "$url"
elif command -v wrk >/dev/null; then
  wrk -t2 -c64 -d"${seconds}s" "$url"
else
  echo "neither oha nor wrk is installed (apt-get install wrk); nothing measured" >&2
  exit 1
fi
