#!/usr/bin/env bash
# The checks behind `make test`, in order, stopping at the first failure.
# Expects the environment of scripts/with-services.sh (DATABASE_URL, AWS_ENDPOINT_URL, ...).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s ==\n' "$*"; }

# `make test TESTS=<filter>`: only the matching Rust tests, for a quick loop while working.
if [[ -n "${TESTS:-}" ]]; then
    step "cargo nextest run $TESTS (only the tests matching TESTS)"
    exec cargo nextest run --workspace --no-fail-fast "$TESTS"
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

if cargo nextest --version >/dev/null 2>&1; then
    step "cargo nextest run"
    cargo nextest run --workspace --no-fail-fast
else
    step "cargo test (cargo-nextest not installed)"
    cargo test --workspace
fi

if [[ -f cdk/package.json ]]; then
    step "cdk: npm ci && npm test"
    (cd cdk && npm ci --no-audit --no-fund && npm test)
fi

step "arm64 Lambda zips (cargo-lambda) and a CDK synth with them"
bash scripts/lambda-synth.sh
