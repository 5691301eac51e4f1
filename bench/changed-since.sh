#!/usr/bin/env bash
# What a weekly publish costs on a static copy: `export site --changed-since` into the export of a
# generated corpus (bench/corpus.py), with nothing changed and after one episode's notes were
# edited and imported again, beside a full `hugo` build of the same markdown (Hugo rebuilds the
# site for any change). Each figure is the median of the rounds; wall time from GNU time.
#
# Usage: bench/changed-since.sh [episodes] [rounds]   (default 1000 5)
# Needs GNU time (/usr/bin/time); hugo is optional (apt-get install -y hugo).
set -euo pipefail
cd "$(dirname "$0")/.."
episodes="${1:-1000}"
rounds="${2:-5}"
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install -y time)" >&2; exit 1; }
cargo build --release --quiet
bin="$(pwd)/${CARGO_TARGET_DIR:-target}/release/shownotes"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 bench/corpus.py "$episodes" "$work"
"$bin" --db "$work/db" import notes "$work"/notes/*.md --status published >/dev/null
"$bin" --db "$work/db" export site --out "$work/site" >/dev/null

seconds() {
  /usr/bin/time -f '%e' -o "$work/time" "$@" >"$work/out" 2>"$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  cat "$work/time"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

edited="$(ls "$work"/notes/*.md | sed -n "$(( (episodes + 1) / 2 ))p")"
nothing="" one="" hugo_runs=""
for round in $(seq "$rounds"); do
  nothing+="$(seconds "$bin" --db "$work/db" export site --out "$work/site" --changed-since)"$'\n'
  # One episode's title gains a word, as a host fixing a typo would.
  sed -i "0,/^# /s/\$/ edited/" "$edited"
  "$bin" --db "$work/db" import notes "$edited" >/dev/null
  one+="$(seconds "$bin" --db "$work/db" export site --out "$work/site" --changed-since)"$'\n'
  written="$(grep -o 'wrote [0-9]* addresses ([0-9]* files' "$work/out" || true)"
  if command -v hugo >/dev/null; then
    rm -rf "$work/public"
    hugo_runs+="$(seconds hugo --quiet --source "$work/hugo" --destination "$work/public")"$'\n'
  fi
  echo "round $round of $rounds: nothing changed $(tail -n 2 <<<"$nothing" | head -1) s, one episode edited $(tail -n 2 <<<"$one" | head -1) s ($written)" >&2
done

n="$(median <<<"$nothing")"
o="$(median <<<"$one")"
echo "$episodes episodes, $(find "$work/site" -type f | wc -l) files, median of $rounds rounds"
printf '%-44s %8.3f s\n' "export site --changed-since, nothing changed" "$n"
printf '%-44s %8.3f s\n' "export site --changed-since, one edited" "$o"
if [ -n "$hugo_runs" ]; then
  h="$(median <<<"$hugo_runs")"
  printf '%-44s %8.3f s\n' "hugo, full build" "$h"
  awk -v n="$n" -v o="$o" -v h="$h" \
    'BEGIN { printf "ratio to hugo: nothing changed %.2fx, one edited %.2fx\n", n / h, o / h }'
fi
