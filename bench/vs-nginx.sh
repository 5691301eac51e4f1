#!/usr/bin/env bash
# shownotes `serve` against nginx serving `export site` of the same database: the same URLs, the
# same bytes, wrk at one connection count with gzip accepted. Runs alternate (shownotes, nginx,
# shownotes, nginx, …) so that a busy machine weighs on both alike; each figure is the median.
#
# Usage: bench/vs-nginx.sh [seconds per run] [rounds] [connections]   (default 10 3 64)
# Needs wrk and nginx (apt-get install -y wrk nginx); nginx runs as you, on a high port, from a
# temporary config. The database holds tests/fixtures/notes-archive and tests/fixtures/pyvideo.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
rounds="${2:-3}"
connections="${3:-64}"
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install -y $tool)" >&2; exit 1; }
done
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/shownotes"
work="$(mktemp -d)"
stop() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap stop EXIT
app_port=18471
nginx_port=18472

# One database for both: the fixture archive, published, and the fixture talk catalog.
db="$work/bench.db"
"$bin" --db "$db" import notes tests/fixtures/notes-archive/*.md --status published >/dev/null
# Three fixture records are broken on purpose: the import skips them and exits 1.
"$bin" --db "$db" import talks tests/fixtures/pyvideo >/dev/null 2>&1 || true
"$bin" --db "$db" export site --out "$work/site" --base-url "http://127.0.0.1:$app_port" >/dev/null

RUST_LOG=warn "$bin" serve --db "$db" --addr "127.0.0.1:$app_port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$app_port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# nginx as the current user: every path it writes is in the work folder.
as_root=""
[ "$(id -u)" = 0 ] && as_root="user root;"
cat >"$work/nginx.conf" <<EOF
$as_root
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp-body;
  proxy_temp_path $work/tmp-proxy;
  fastcgi_temp_path $work/tmp-fastcgi;
  uwsgi_temp_path $work/tmp-uwsgi;
  scgi_temp_path $work/tmp-scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/site;
    gzip_static on;
    etag on;
    location / { try_files \$uri \$uri/index.html \$uri/index.xml =404; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work"
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$nginx_port/" >/dev/null 2>&1 && break; sleep 0.1; done

# The home page, the archive's first page, an episode, the show feed and a talk, at the addresses
# the sitemap lists (an episode's page lives at its slug).
sitemap="$work/site/sitemap.xml"
episode="$(grep -oE '/episodes/[0-9]+/[^/<]+<' "$sitemap" | sed -n '1s/<$//p')"
talk="$(grep -oE '/talks/[^/<]+/[^/<]+<' "$sitemap" | grep -v '/rss<' | sed -n '1s/<$//p')"
paths=(/ /episodes "$episode" /episodes/rss "$talk")

# Same bytes: each URL, gzip accepted, decodes to the same body from both, but for the pager
# links the copy points at its own pages (`/episodes/page/2` for `/episodes?page=2`).
for path in "${paths[@]}"; do
  a="$(curl -fsS --compressed "http://127.0.0.1:$app_port$path" | sha256sum)"
  b="$(curl -fsS --compressed "http://127.0.0.1:$nginx_port$path" \
    | sed -E 's#href="(/[^"?]*)/page/([0-9]+)"#href="\1?page=\2"#g' | sha256sum)"
  [ "$a" = "$b" ] || echo "warning: $path differs between shownotes and the static copy" >&2
done

# Requests/s and p99 (ms) of one run.
measure() {
  local out
  out="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H 'Accept-Encoding: gzip' "$1")"
  local rps p99
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  echo "$rps $(to_ms "$p99")"
}
to_ms() {
  awk -v t="$1" 'BEGIN {
    if (t ~ /us$/) { sub(/us$/, "", t); print t / 1000 }
    else if (t ~ /ms$/) { sub(/ms$/, "", t); print t + 0 }
    else if (t ~ /s$/) { sub(/s$/, "", t); print t * 1000 }
    else print t }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A runs
for round in $(seq "$rounds"); do
  for path in "${paths[@]}"; do
    for side in shownotes nginx; do
      port=$app_port
      [ "$side" = nginx ] && port=$nginx_port
      runs["$side $path"]+="$(measure "http://127.0.0.1:$port$path")"$'\n'
    done
  done
  echo "round $round of $rounds done" >&2
done

echo "wrk -t2 -c$connections -d${seconds}s, Accept-Encoding: gzip, median of $rounds interleaved runs"
printf '%-44s %12s %9s %12s %9s %7s\n' path shownotes p99-ms nginx p99-ms ratio
for path in "${paths[@]}"; do
  s_rps="$(awk 'NF {print $1}' <<<"${runs["shownotes $path"]}" | median)"
  s_p99="$(awk 'NF {print $2}' <<<"${runs["shownotes $path"]}" | median)"
  n_rps="$(awk 'NF {print $1}' <<<"${runs["nginx $path"]}" | median)"
  n_p99="$(awk 'NF {print $2}' <<<"${runs["nginx $path"]}" | median)"
  ratio="$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')"
  printf '%-44s %12.0f %9.2f %12.0f %9.2f %6sx\n' "$path" "$s_rps" "$s_p99" "$n_rps" "$n_p99" "$ratio"
done
