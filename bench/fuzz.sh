#!/usr/bin/env bash
# Runs every fuzz target (the `fuzz_*` property tests: notes parser, markdown renderer, pyvideo
# reader, form parsers) with N cases each, optimized. `cargo test` runs a few hundred to 1,500
# of each; `bench/fuzz.sh 1000000` runs a million of each (hours on two cores).
# Usage: bench/fuzz.sh [N]   (default 100000). A failure prints its minimal input and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-100000}"
targets=$(grep -rhoE 'fn fuzz_[a-z_]+' src | wc -l)
echo "== $targets fuzz targets x $cases cases"
start=$(date +%s)
PROPTEST_CASES="$cases" cargo test --release --quiet --lib fuzz_ -- --test-threads "$(nproc)"
echo "== $((targets * cases)) cases in $(( $(date +%s) - start )) s, no failure"
