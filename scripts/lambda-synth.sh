#!/usr/bin/env bash
# Builds the real arm64 Lambda zips with cargo-lambda and synthesizes the CDK stack with them
# (cdk-nag runs on every synth). Part of `make test`; needs .venv (scripts/venv.sh) and rustup.
# TIPLINE_LAMBDA_PROFILE=release builds what ships (slow on 2 cores); the default, debug, builds
# the same code for the same target and proves the assets and the stack fit together.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
    rustup target add aarch64-unknown-linux-gnu
fi
export PATH="$PWD/.venv/bin:$PATH"
command -v cargo-lambda >/dev/null || { echo "cargo-lambda missing: run scripts/venv.sh" >&2; exit 1; }

profile_flag=()
[[ ${TIPLINE_LAMBDA_PROFILE:-debug} == release ]] && profile_flag=(--release)
cargo lambda build "${profile_flag[@]}" --arm64 --output-format zip

for function in webhook processor tipline; do
    zip="target/lambda/$function/bootstrap.zip"
    [[ -s $zip ]] || { echo "missing $zip" >&2; exit 1; }
    python3 -c 'import sys, zipfile; sys.exit("bootstrap" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$zip" \
        || { echo "$zip has no bootstrap" >&2; exit 1; }
    printf '%-10s %s bytes\n' "$function" "$(stat -c %s "$zip")"
done
# ELF e_machine 183 is AArch64: the zips hold arm64 binaries, as the functions' architecture says.
machine=$(python3 -c 'import sys, zipfile; b = zipfile.ZipFile(sys.argv[1]).read("bootstrap"); print(int.from_bytes(b[18:20], "little"))' \
    target/lambda/processor/bootstrap.zip)
[[ $machine == 183 ]] || { echo "the processor's bootstrap is not an arm64 binary (ELF machine $machine)" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd cdk && npx cdk synth --quiet --no-notices -c lambdaAssetDir=../target/lambda --output "$out" >/dev/null)
ls "$out"/*.template.json >/dev/null
echo "lambda-synth: the stack synthesizes with the real arm64 assets"
