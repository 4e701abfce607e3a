#!/usr/bin/env bash
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
#
# Runs every cargo-fuzz target in fuzz/ for a bounded time each, installing the nightly
# toolchain and cargo-fuzz when missing. Not part of the default test command (it needs
# nightly and minutes). A crash leaves its input under fuzz/artifacts/<target>/: turn it into a
# regression test beside the parser it broke, then fix the parser.
# Prints the executions per target (libFuzzer's last "#N" line) to fuzz/last-run.txt.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "fuzz.sh: SECONDS_PER_TARGET must be a positive whole number, got '$seconds'" >&2
    exit 2
fi

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo +nightly install cargo-fuzz --locked

export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$root/fuzz/target}"
: >last-run.txt
status=0
for target in $(cargo +nightly fuzz list); do
    mkdir -p "corpus/$target"
    log="$(mktemp)"
    echo "fuzz.sh: $target for ${seconds}s"
    # corpus/ (ignored by git) collects what libFuzzer finds; seeds/ (committed) starts it from
    # the real fixtures: a Twilio form with its signature, a v1 envelope, a Lambda SQS event.
    if ! cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 \
        >"$log" 2>&1; then
        echo "fuzz.sh: $target FAILED; see fuzz/artifacts/$target/" >&2
        tail -n 30 "$log" >&2
        status=1
    fi
    runs="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')"
    echo "$target: ${runs:-0} executions in ${seconds}s" | tee -a last-run.txt
    rm -f "$log"
done
exit "$status"
