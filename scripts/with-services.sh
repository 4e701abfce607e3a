#!/usr/bin/env bash
# Usage: scripts/with-services.sh CMD [ARGS...]
#
# Starts throwaway services on loopback, exports their environment, runs CMD,
# and always stops everything it started (on normal exit, failure, INT, TERM).
# Exits with CMD's exit status.
#
#   PostgreSQL (skipped when DATABASE_URL is already set):
#     DATABASE_URL     postgres://postgres@127.0.0.1:PORT/postgres
#     TIPLINE_PG_DATA  data directory (tests may stop/restart the server)
#     TIPLINE_PG_CTL   absolute path of pg_ctl
#     TIPLINE_PG_RUNAS user to run pg_ctl as ("postgres" when root, else empty)
#   moto server (skipped when AWS_ENDPOINT_URL is already set):
#     AWS_ENDPOINT_URL, TIPLINE_MOTO_URL  http://127.0.0.1:PORT
#     AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_DEFAULT_REGION,
#     AWS_EC2_METADATA_DISABLED
#   always:
#     TIPLINE_PYTHON   absolute path of .venv/bin/python (see scripts/venv.sh)
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

workdir=""     # temp dir holding everything this script created
pg_data=""     # set once initdb succeeded
pg_started=""  # set once pg_ctl start was attempted
moto_pid=""
pg_ctl=""
pg_runas=""

log() { echo "with-services: $*" >&2; }

die() {
    log "ERROR: $*"
    exit 1
}

tail_log() {
    local f="$1"
    if [[ -f "$f" ]]; then
        echo "---- last lines of $f ----" >&2
        tail -n 40 "$f" >&2 || true
        echo "----" >&2
    fi
}

# Run a PostgreSQL program as the server's owner, from a directory it can read.
pg_as() {
    if [[ -n "$pg_runas" ]]; then
        (cd / && runuser -u "$pg_runas" -- "$@")
    else
        (cd / && "$@")
    fi
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap '' INT TERM
    if [[ -n "$moto_pid" ]]; then
        kill -TERM "$moto_pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 50; i++)); do
            kill -0 "$moto_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
    if [[ -n "$pg_started" && -n "$pg_data" ]]; then
        if ! pg_as "$pg_ctl" -D "$pg_data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            pg_as "$pg_ctl" -D "$pg_data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
    fi
    if [[ -n "$workdir" ]]; then
        rm -rf "$workdir"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Directory holding initdb and pg_ctl: PATH first, then Debian's layout (newest version).
find_pg_bindir() {
    local p d
    if p="$(command -v pg_ctl 2>/dev/null)"; then
        d="$(dirname "$(readlink -f "$p")")"
        if [[ -x "$d/initdb" && -x "$d/postgres" ]]; then
            echo "$d"
            return 0
        fi
    fi
    while IFS= read -r d; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            echo "$d"
            return 0
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r)
    return 1
}

start_postgres() {
    local bindir port
    if ! bindir="$(find_pg_bindir)"; then
        # A new machine may have only the client: install the server when we can.
        if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
            log "PostgreSQL server not found; installing Debian's postgresql package"
            if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } \
                >"$workdir/apt.log" 2>&1; then
                tail_log "$workdir/apt.log"
                die "could not install PostgreSQL (apt-get failed)"
            fi
        fi
        bindir="$(find_pg_bindir)" ||
            die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; install postgresql or set DATABASE_URL"
    fi
    pg_ctl="$bindir/pg_ctl"

    if [[ $EUID -eq 0 ]]; then
        pg_runas=postgres
        id -u "$pg_runas" >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run initdb as"
    fi

    local dir="$workdir/pg"
    mkdir -m 700 "$dir"
    if [[ -n "$pg_runas" ]]; then
        chmod 711 "$workdir"
        chown "$pg_runas:" "$dir"
    fi
    if ! pg_as "$bindir/initdb" -D "$dir" --auth=trust -U postgres --no-sync -E UTF8 --locale=C \
        >"$workdir/initdb.log" 2>&1; then
        tail_log "$workdir/initdb.log"
        die "initdb failed"
    fi
    pg_data="$dir"

    port="$(free_port)"
    # The same settings go into postgresql.conf, so that a test which stops the
    # server can start it again with a plain `pg_ctl -D "$TIPLINE_PG_DATA" -l "$TIPLINE_PG_DATA/log" -w start`.
    cat >>"$dir/postgresql.conf" <<CONF

# added by scripts/with-services.sh
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    pg_started=1
    if ! pg_as "$pg_ctl" -D "$dir" -w -t 60 -l "$dir/log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >"$workdir/pg_ctl.log" 2>&1; then
        tail_log "$workdir/pg_ctl.log"
        tail_log "$dir/log"
        die "PostgreSQL did not start on 127.0.0.1:$port"
    fi

    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
    export TIPLINE_PG_DATA="$dir"
    export TIPLINE_PG_CTL="$pg_ctl"
    export TIPLINE_PG_RUNAS="$pg_runas"
    log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

http_answers() {
    if command -v curl >/dev/null; then
        curl -s -o /dev/null --max-time 1 "$1"
    else
        python3 -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=1)
except urllib.error.HTTPError:
    pass' "$1" 2>/dev/null
    fi
}

start_moto() {
    local moto="$venv/bin/moto_server" port url i
    [[ -x "$moto" ]] || die "$moto not found; run scripts/venv.sh first"
    port="$(free_port)"
    url="http://127.0.0.1:$port"
    "$moto" -H 127.0.0.1 -p "$port" </dev/null >"$workdir/moto.log" 2>&1 &
    moto_pid=$!
    for ((i = 0; i < 150; i++)); do # up to 30 s
        if http_answers "$url/"; then
            break
        fi
        if ! kill -0 "$moto_pid" 2>/dev/null; then
            tail_log "$workdir/moto.log"
            die "moto_server exited before answering on $url"
        fi
        sleep 0.2
    done
    if ((i >= 150)); then
        tail_log "$workdir/moto.log"
        die "moto_server did not answer on $url within 30 s"
    fi

    export AWS_ENDPOINT_URL="$url"
    export TIPLINE_MOTO_URL="$url"
    export AWS_ACCESS_KEY_ID=testing
    export AWS_SECRET_ACCESS_KEY=testing
    export AWS_REGION=us-east-1
    export AWS_DEFAULT_REGION=us-east-1
    export AWS_EC2_METADATA_DISABLED=true
    log "moto server on $url"
}

workdir="$(mktemp -d "${TMPDIR:-/tmp}/tipline-services.XXXXXX")"

if [[ -n "${DATABASE_URL:-}" ]]; then
    log "DATABASE_URL already set; not starting PostgreSQL"
    export TIPLINE_PG_DATA="${TIPLINE_PG_DATA:-}"
    export TIPLINE_PG_CTL="${TIPLINE_PG_CTL:-}"
    export TIPLINE_PG_RUNAS="${TIPLINE_PG_RUNAS:-}"
else
    start_postgres
fi

if [[ -n "${AWS_ENDPOINT_URL:-}" ]]; then
    log "AWS_ENDPOINT_URL already set; not starting moto"
    export TIPLINE_MOTO_URL="${TIPLINE_MOTO_URL:-}"
else
    start_moto
fi

export TIPLINE_PYTHON="$venv/bin/python"

status=0
"$@" || status=$?
exit "$status"
