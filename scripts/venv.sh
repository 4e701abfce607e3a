#!/usr/bin/env bash
# Idempotently create .venv/ at the repo root with the Python test tools
# (moto server, the official twilio package, cfn-lint).
# pip runs only when scripts/requirements-test.txt changed since the last install.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/scripts/requirements-test.txt"
stamp="$venv/.tipline-stamp"

want="$(sha256sum "$req" | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "venv: .venv up to date (requirements unchanged), skipped pip"
    exit 0
fi

start=$SECONDS
created=""
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    created="created .venv and "
fi
rm -f "$stamp"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
printf '%s\n' "$want" >"$stamp"
echo "venv: ${created}installed scripts/requirements-test.txt in $((SECONDS - start))s"
