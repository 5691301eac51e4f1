#!/usr/bin/env bash
# Builds one generated corpus both ways and times them: `shownotes import notes` + `export site`
# into a fresh database and folder, against `hugo` on a minimal site of the same markdown
# (bench/corpus.py writes both). Runs alternate which goes first; each figure is the median.
# Wall time and peak resident memory come from GNU time; shownotes' memory is the larger peak
# of its two commands.
#
# Usage: bench/vs-hugo.sh [episodes] [rounds]   (default 1000 3)
# Needs hugo (apt-get install -y hugo) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
episodes="${1:-1000}"
rounds="${2:-3}"
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install -y hugo)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install -y time)" >&2; exit 1; }
cargo build --release --quiet
bin="$(pwd)/${CARGO_TARGET_DIR:-target}/release/shownotes"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 bench/corpus.py "$episodes" "$work"

# "seconds peak-KB" of one command.
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  cat "$work/time"
}

run_shownotes() {
  # The compressed pieces an earlier run kept beside its copy would spare this run work.
  rm -rf "$work/db"* "$work/site" "$work/.site.pieces"
  local import export
  import="$(timed "$bin" --db "$work/db" import notes "$work"/notes/*.md --status published)"
  export="$(timed "$bin" --db "$work/db" export site --out "$work/site")"
  echo "$import $export" | awk '{ printf "%.2f %d %.2f %.2f\n", $1 + $3, ($2 > $4 ? $2 : $4), $1, $3 }'
}

run_hugo() {
  rm -rf "$work/public"
  timed hugo --quiet --source "$work/hugo" --destination "$work/public"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

shownotes_runs=""
hugo_runs=""
for round in $(seq "$rounds"); do
  if (( round % 2 )); then
    shownotes_runs+="$(run_shownotes)"$'\n'
    hugo_runs+="$(run_hugo)"$'\n'
  else
    hugo_runs+="$(run_hugo)"$'\n'
    shownotes_runs+="$(run_shownotes)"$'\n'
  fi
  echo "round $round of $rounds: shownotes $(tail -n 2 <<<"$shownotes_runs" | head -1), hugo $(tail -n 2 <<<"$hugo_runs" | head -1)" >&2
done

col() { awk -v c="$1" 'NF { print $c }' | median; }
s_time="$(col 1 <<<"$shownotes_runs")"
s_mem="$(col 2 <<<"$shownotes_runs")"
s_import="$(col 3 <<<"$shownotes_runs")"
s_export="$(col 4 <<<"$shownotes_runs")"
h_time="$(col 1 <<<"$hugo_runs")"
h_mem="$(col 2 <<<"$hugo_runs")"
files="$(find "$work/site" -type f | wc -l)"
hugo_files="$(find "$work/public" -type f | wc -l)"
echo "$episodes episodes, median of $rounds alternating runs"
printf '%-34s %8s %10s %7s\n' build seconds peak-MB files
printf '%-34s %8.2f %10.1f %7d\n' "shownotes import + export site" "$s_time" "$(awk -v k="$s_mem" 'BEGIN { print k / 1024 }')" "$files"
printf '%-34s %8.2f\n' "  of which import notes" "$s_import"
printf '%-34s %8.2f\n' "  of which export site" "$s_export"
printf '%-34s %8.2f %10.1f %7d\n' hugo "$h_time" "$(awk -v k="$h_mem" 'BEGIN { print k / 1024 }')" "$hugo_files"
awk -v a="$s_time" -v b="$h_time" -v m="$s_mem" -v n="$h_mem" \
  'BEGIN { printf "time ratio (shownotes / hugo): %.2fx   memory ratio: %.2fx\n", a / b, m / n }'
