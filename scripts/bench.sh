#!/usr/bin/env bash
# Usage: scripts/bench.sh [OUT_DIR]     (default: target/bench-report)
#
# Reproduces every figure in docs/benchmarks.md, under throwaway services:
#   1. `tipline bench` queued vs inline, on SQLite (embedded default) and on Postgres;
#   2. the criterion micro-benchmarks (webhook CPU path, batch engine, store on Postgres/SQLite);
#   3. the reliability suite (2,000 tips under faults), printing its counts;
#   4. the cost model per million messages, from the Postgres run's measured durations;
#   5. cold start and peak RSS of the release Lambda binaries, and the arm64 Lambda zip sizes;
#   6. fuzzing: every cargo-fuzz target for FUZZ_SECONDS each (default 60; 0 skips it).
# Figures are written under OUT_DIR as JSON/text; nothing here asserts a timing.
# LAMBDA_TARGET_DIR (default: CARGO_TARGET_DIR) keeps the arm64 build apart from the host's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-target/bench-report}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
fuzz_seconds="${FUZZ_SECONDS:-60}"
if ! [[ "$fuzz_seconds" =~ ^[0-9]+$ ]]; then
    echo "bench.sh: FUZZ_SECONDS must be a whole number of seconds, got '$fuzz_seconds'" >&2
    exit 2
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
# moto, twilio and cargo-lambda (with zig) come from the test venv.
bash scripts/venv.sh
export PATH="$root/.venv/bin:$PATH"

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
    # Latency budget and hedging: a slow tail and a hanging provider, hedging on and off.
    "$tipline" bench --messages 1000 --rate 40 --concurrency 1000 --openai-slow-every 50 --mode both \
        --json "$out/slowtail-hedged.json" | tee "$out/slowtail-hedged.txt"
    "$tipline" bench --messages 1000 --rate 40 --concurrency 1000 --openai-slow-every 50 --mode queued --no-hedging \
        --json "$out/slowtail-nohedge.json" | tee "$out/slowtail-nohedge.txt"
    "$tipline" bench --messages 1000 --rate 40 --concurrency 1000 --openai-hang-every 20 --mode both \
        --json "$out/hang-hedged.json" | tee "$out/hang-hedged.txt"
    "$tipline" bench --messages 1000 --rate 40 --concurrency 1000 --openai-hang-every 20 --mode queued --no-hedging \
        --json "$out/hang-nohedge.json" | tee "$out/hang-nohedge.txt"
    cargo bench -p tipline-shared --bench webhook_path 2>&1 | tee "$out/criterion-webhook.txt"
    cargo bench -p tipline-processor --bench batch_engine 2>&1 | tee "$out/criterion-batch-engine.txt"
    cargo bench -p tipline-shared --bench store 2>&1 | tee "$out/criterion-store.txt"
    cargo nextest run -p tipline-processor --test reliability --no-capture 2>&1 | tee "$out/reliability.txt"
' _ "$out" "$tipline"

echo "== cost model per million messages (from the Postgres run)"
python3 scripts/cost_model.py "$out/bench-postgres.json" --batch-seconds 4 | tee "$out/cost-model.txt"

echo "== sizes and cold start" | tee "$out/sizes.txt"
cargo build --release -p tipline-webhook -p tipline-processor
bash scripts/with-services.sh python3 scripts/coldstart.py \
    "$CARGO_TARGET_DIR/release/webhook" "$CARGO_TARGET_DIR/release/processor" "$tipline" 10 | tee "$out/coldstart.txt"
ls -l "$CARGO_TARGET_DIR/release/webhook" "$CARGO_TARGET_DIR/release/processor" | tee -a "$out/sizes.txt"
lambda_target="${LAMBDA_TARGET_DIR:-$CARGO_TARGET_DIR}"
CARGO_TARGET_DIR="$lambda_target" cargo lambda build --release --arm64 --output-format zip \
    -p tipline-webhook -p tipline-processor -p tipline >"$out/lambda-build.log" 2>&1 || {
    echo "bench.sh: cargo lambda build failed; see $out/lambda-build.log" >&2
    exit 1
}
for zip in "$lambda_target"/lambda/{webhook,processor,tipline}/bootstrap.zip; do
    echo "$(basename "$(dirname "$zip")") $(stat -c %s "$zip") bytes"
done | tee -a "$out/sizes.txt"

if ((fuzz_seconds > 0)); then
    echo "== fuzzing, ${fuzz_seconds}s per target"
    bash scripts/fuzz.sh "$fuzz_seconds" | tee "$out/fuzz.txt"
fi
echo "figures written to $out"
