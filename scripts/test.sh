#!/usr/bin/env bash
# THE test command (`make test`, .ci/run): Python tools, throwaway services, all checks.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$SECONDS
report() {
    local rc=$?
    local t=$((SECONDS - start))
    if [[ $rc -eq 0 ]]; then
        echo "test.sh: all checks passed; total wall time $((t / 60))m$((t % 60))s"
    else
        echo "test.sh: FAILED (exit $rc); total wall time $((t / 60))m$((t % 60))s" >&2
    fi
}
trap report EXIT

bash scripts/venv.sh
bash scripts/with-services.sh bash scripts/checks.sh
