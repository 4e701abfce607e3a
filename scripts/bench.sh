#!/usr/bin/env bash
# Usage: scripts/bench.sh [OUT_DIR]     (default: target/bench-report)
#
# Reproduces every figure in docs/benchmarks.md, under throwaway services:
#   1. `tipline bench` queued vs inline, on SQLite (embedded default) and on Postgres;
#   2. the criterion micro-benchmarks (webhook CPU path, batch engine, store on Postgres/SQLite);
#   3. the reliability suite (2,000 tips under faults), printing its counts;
#   4. release binary sizes and, when cargo-lambda is installed, the Lambda zip sizes.
# Figures are written under OUT_DIR as JSON/text; nothing here asserts a timing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-target/bench-report}"
mkdir -p "$out"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

echo "== machine" | tee "$out/machine.txt"
{ nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | head -2; uname -srm; } | tee -a "$out/machine.txt"

cargo build --release -p tipline
tipline="$CARGO_TARGET_DIR/release/tipline"

echo "== tipline bench (SQLite, in-process queue)"
env -u DATABASE_URL "$tipline" bench --messages 1000 --concurrency 50 --json "$out/bench-sqlite.json" |
    tee "$out/bench-sqlite.txt"
echo "== tipline bench, open loop at 40/s with a slow OpenAI tail (every 50th call 16 s)"
env -u DATABASE_URL "$tipline" bench --messages 1000 --rate 40 --concurrency 1000 --openai-slow-every 50 \
    --json "$out/bench-sqlite-slowtail.json" | tee "$out/bench-sqlite-slowtail.txt"

echo "== tipline bench (Postgres) + criterion + reliability, under scripts/with-services.sh"
bash scripts/with-services.sh bash -c '
    set -euo pipefail
    out="$1"; tipline="$2"
    "$tipline" bench --messages 1000 --concurrency 50 --json "$out/bench-postgres.json" | tee "$out/bench-postgres.txt"
    cargo bench -p tipline-shared --bench webhook_path 2>&1 | tee "$out/criterion-webhook.txt"
    cargo bench -p tipline-processor --bench batch_engine 2>&1 | tee "$out/criterion-batch-engine.txt"
    cargo bench -p tipline-shared --bench store 2>&1 | tee "$out/criterion-store.txt"
    cargo nextest run -p tipline-processor --test reliability --no-capture 2>&1 | tee "$out/reliability.txt"
' _ "$out" "$tipline"

echo "== sizes and cold start" | tee "$out/sizes.txt"
cargo build --release -p tipline-webhook -p tipline-processor
bash scripts/with-services.sh python3 scripts/coldstart.py \
    "$CARGO_TARGET_DIR/release/webhook" "$CARGO_TARGET_DIR/release/processor" 10 | tee "$out/coldstart.txt"
ls -l "$CARGO_TARGET_DIR/release/webhook" "$CARGO_TARGET_DIR/release/processor" | tee -a "$out/sizes.txt"
if command -v cargo-lambda >/dev/null; then
    if cargo lambda build --release --arm64 --output-format zip -p tipline-webhook -p tipline-processor >"$out/lambda-build.log" 2>&1; then
        find "$CARGO_TARGET_DIR/lambda" -name '*.zip' -exec ls -l {} + | tee -a "$out/sizes.txt"
    else
        echo "cargo lambda build failed (see $out/lambda-build.log)" | tee -a "$out/sizes.txt"
    fi
fi
echo "figures written to $out"
