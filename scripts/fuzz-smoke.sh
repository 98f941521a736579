#!/usr/bin/env bash
# Runs every cargo-fuzz target for a few seconds, seeded from the committed
# corpus (new inputs go to a scratch directory, the committed corpus is only
# read). Usage: scripts/fuzz-smoke.sh [seconds-per-target]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-5}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cargo +nightly fuzz build
total=0
for target in $(cargo +nightly fuzz list); do
  mkdir -p "$scratch/$target" "corpus/$target"
  echo "== fuzz smoke: $target (${secs}s)"
  out="$(cargo +nightly fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$secs" -print_final_stats=1 2>&1)" || { echo "$out" | tail -40; exit 1; }
  runs="$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p' | tail -1)"
  echo "   $target: ${runs:-?} executions, no crash"
  total=$((total + ${runs:-0}))
done
echo "fuzz smoke: $total executions in all"
