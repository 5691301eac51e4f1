#!/usr/bin/env bash
# The first /episodes/rss request right after `import notes` of N episodes, as a podcast app
# would make it: a fresh database with the site's address set, the release binary importing the
# generated corpus (bench/corpus.py), then `serve` started and the feed asked for once, plain and
# once gzip-accepting (the first of each is what is timed, from curl's side, transfer included).
# With SHOWNOTES_BENCH_BASELINE=<another shownotes binary>, both run interleaved in one go and
# the ratios are printed: the machine is shared, so compare within a run.
#
# Usage: bench/first-feed.sh [episodes] [rounds]   (default 1000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
episodes="${1:-1000}"
rounds="${2:-3}"
command -v curl >/dev/null || { echo "curl is not installed (apt-get install -y curl)" >&2; exit 1; }
cargo build --release --quiet
bin="$(pwd)/${CARGO_TARGET_DIR:-target}/release/shownotes"
baseline="${SHOWNOTES_BENCH_BASELINE:-}"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
python3 bench/corpus.py "$episodes" "$work" >/dev/null
port=18491

# One run of BINARY: prints "import-seconds first-plain-seconds first-gzip-seconds feed-bytes".
run() {
  local binary="$1" db="$work/run.db"
  rm -f "$db" "$db"-*
  "$binary" --db "$db" settings set base_url "http://127.0.0.1:$port" >/dev/null
  local started ended
  started="$(date +%s.%N)"
  "$binary" --db "$db" import notes "$work"/notes/*.md --status published >/dev/null
  ended="$(date +%s.%N)"
  RUST_LOG=warn "$binary" serve --db "$db" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
  local plain gzip
  plain="$(curl -fsS -o /dev/null -w '%{time_total} %{size_download}' "http://127.0.0.1:$port/episodes/rss")"
  # A restart empties what the server keeps in memory: the gzip request is a first one too.
  kill "$server"; wait "$server" 2>/dev/null || true
  RUST_LOG=warn "$binary" serve --db "$db" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
  gzip="$(curl -fsS -o /dev/null -H 'Accept-Encoding: gzip, br' -w '%{time_total}' "http://127.0.0.1:$port/episodes/rss")"
  kill "$server"; wait "$server" 2>/dev/null || true
  server=""
  echo "$(awk -v a="$started" -v b="$ended" 'BEGIN { print b - a }') ${plain% *} $gzip ${plain#* }"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" 'NF { print $c }' | median; }

this=""
base=""
for round in $(seq "$rounds"); do
  this+="$(run "$bin")"$'\n'
  [ -n "$baseline" ] && base+="$(run "$baseline")"$'\n'
  echo "round $round of $rounds done" >&2
done

echo "$episodes episodes ($(col 4 <<<"$this") bytes of RSS), median of $rounds runs"
printf '%-12s %10s %16s %16s\n' build import-s first-rss-ms first-gzip-ms
report() {
  printf '%-12s %10.2f %16.1f %16.1f\n' "$1" "$(col 1 <<<"$2")" \
    "$(awk -v s="$(col 2 <<<"$2")" 'BEGIN { print s * 1000 }')" \
    "$(awk -v s="$(col 3 <<<"$2")" 'BEGIN { print s * 1000 }')"
}
report "this" "$this"
if [ -n "$baseline" ]; then
  report "baseline" "$base"
  awk -v a="$(col 2 <<<"$this")" -v b="$(col 2 <<<"$base")" -v c="$(col 3 <<<"$this")" -v d="$(col 3 <<<"$base")" \
    'BEGIN { printf "first feed request, this / baseline: plain %.2fx, gzip %.2fx\n", a / b, c / d }'
fi
