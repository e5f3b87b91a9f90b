# Starts a PostgreSQL 15 server in a temporary directory on a free loopback port, and stops it (and
# removes the directory) when the calling script exits, whether its tests passed or not.
# Exports CUTOVER_TEST_PG_URL and CUTOVER_TEST_PG_* for the test suite.

source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres_user() {
    # PostgreSQL refuses to run as root.
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_throwaway_postgres() {
    if [ -n "${THROWAWAY_PG_DIR:-}" ] && [ -d "$THROWAWAY_PG_DIR" ]; then
        as_postgres_user "$PG_BIN/pg_ctl" -D "$THROWAWAY_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$THROWAWAY_PG_DIR"
    fi
}

start_throwaway_postgres() {
    THROWAWAY_PG_DIR=$(mktemp -d /tmp/cutover-pg.XXXXXX)
    trap stop_throwaway_postgres EXIT
    chmod 755 "$THROWAWAY_PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$THROWAWAY_PG_DIR"
    local password="cutover-test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    echo "$password" > "$THROWAWAY_PG_DIR/pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$THROWAWAY_PG_DIR/pwfile"
    as_postgres_user "$PG_BIN/initdb" -D "$THROWAWAY_PG_DIR/data" -U cutover --pwfile="$THROWAWAY_PG_DIR/pwfile" \
        --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$THROWAWAY_PG_DIR/initdb.log" 2>&1 \
        || { cat "$THROWAWAY_PG_DIR/initdb.log" >&2; return 1; }
    local port
    port=$(free_loopback_port 55432 55999)
    as_postgres_user "$PG_BIN/pg_ctl" -D "$THROWAWAY_PG_DIR/data" -l "$THROWAWAY_PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$THROWAWAY_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$THROWAWAY_PG_DIR/server.log" >&2; return 1; }
    export CUTOVER_TEST_PG_HOST=127.0.0.1 CUTOVER_TEST_PG_PORT=$port CUTOVER_TEST_PG_USER=cutover
    export CUTOVER_TEST_PG_PASSWORD=$password CUTOVER_TEST_PG_DATABASE=postgres
    export CUTOVER_TEST_PG_URL="postgresql://cutover:$password@127.0.0.1:$port/postgres"
    echo "==> throwaway PostgreSQL 15 on 127.0.0.1:$port (data in $THROWAWAY_PG_DIR)"
}
