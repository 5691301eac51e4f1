#!/usr/bin/env bash
# The episode page's weight, as a browser loads it: one HTML response plus the assets it links
# (stylesheet, script, icon), counted in requests and bytes transferred (gzip when the server
# offers it), against the budget: at most 3 assets and 60 KB before the artwork.
# Usage: bench/budget.sh            (builds the release binary, serves the seed episode 434)
#        SHOWNOTES_BIN=path bench/budget.sh   (any binary)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SHOWNOTES_BIN:-${CARGO_TARGET_DIR:-target}/release/shownotes}"
if [ -z "${SHOWNOTES_BIN:-}" ]; then cargo build --release --quiet; fi
work="$(mktemp -d)"
trap 'kill ${server:+"$server"} 2>/dev/null || true; rm -rf "$work"' EXIT
port=18435
"$bin" --db "$work/budget.db" import episode tests/fixtures/episodes/python-bytes-434.json >/dev/null
RUST_LOG=warn "$bin" serve --db "$work/budget.db" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port"

# Bytes on the wire for one URL, with the encodings a browser asks for.
transferred() { curl -fsS -H 'Accept-Encoding: gzip, br' -o /dev/null -w '%{size_download}' "$base$1"; }

page=/episodes/434
curl -fsS "$base$page" >"$work/page.html"
# Assets the page makes the browser fetch: stylesheets, scripts, the icon (not links to feeds).
mapfile -t assets < <(grep -oE '<(link rel="(stylesheet|icon)"|script) [^>]*(href|src)="/[^"]+"' "$work/page.html" \
  | grep -oE '(href|src)="/[^"]+"' | sed -E 's/^(href|src)="//; s/"$//' | sort -u)

total=$(transferred "$page")
printf '%-60s %8s\n' "what" "bytes"
printf '%-60s %8d\n' "$page (HTML)" "$total"
for asset in "${assets[@]}"; do
  size=$(curl -fsSL -H 'Accept-Encoding: gzip, br' -o /dev/null -w '%{size_download}' "$base$asset")
  printf '%-60s %8d\n' "$asset" "$size"
  total=$((total + size))
done
printf '%-60s %8d\n' "total: 1 page + ${#assets[@]} assets" "$total"
status=0
if [ "${#assets[@]}" -gt 3 ]; then echo "OVER BUDGET: ${#assets[@]} assets (at most 3)"; status=1; fi
if [ "$total" -gt 61440 ]; then echo "OVER BUDGET: $total bytes (at most 60 KB)"; status=1; fi
[ "$status" -eq 0 ] && echo "within budget: ≤ 3 assets, ≤ 60 KB"
exit "$status"
