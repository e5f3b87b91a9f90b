# Google's Firestore emulator for the test suite: installed when missing, started on a free loopback
# port, and stopped (its whole process group, so no Java process survives) when the calling script
# exits, whether its tests passed or not.
#
#   start_firestore_emulator   # before the build: the JVM starts while Swift compiles
#   await_firestore_emulator   # after it: waits until the emulator answers, exports its address
#
# Exports CUTOVER_TEST_FIRESTORE_EMULATOR_HOST=127.0.0.1:PORT (FIRESTORE_EMULATOR_HOST's form). When
# the emulator cannot be had, exports CUTOVER_TEST_FIRESTORE_EMULATOR_SKIPPED with the reason instead,
# and the emulator tests report themselves skipped with it.

source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

# The Debian package (from Google's apt repository, beside google-cloud-cli).
FIRESTORE_EMULATOR_PACKAGE=google-cloud-cli-firestore-emulator

# Runs `$1` on exit before whatever the EXIT trap already does (the throwaway PostgreSQL's stop).
prepend_exit_trap() {
    local existing
    existing=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
    # shellcheck disable=SC2064 # expanded now on purpose: the existing handler's text
    trap "$1${existing:+; $existing}" EXIT
    # Without these an interrupted or terminated run would skip the EXIT trap and leave Java behind.
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# The emulator's launcher inside the Cloud SDK that `gcloud` belongs to. Calling it directly, as
# `gcloud emulators firestore start` does, saves gcloud's own Python start-up (about 1.5 s).
firestore_emulator_launcher() {
    local gcloud sdk
    gcloud=$(command -v gcloud) || return 1
    sdk=$(dirname "$(dirname "$(readlink -f "$gcloud")")")
    echo "$sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator"
}

emulator_skipped() {
    export CUTOVER_TEST_FIRESTORE_EMULATOR_SKIPPED="$1"
    unset CUTOVER_TEST_FIRESTORE_EMULATOR_HOST
    echo "==> WARNING: Google's Firestore emulator will not run: $1" >&2
    echo "==> WARNING: the emulator tests will report themselves skipped" >&2
}

stop_firestore_emulator() {
    if [ -n "${FIRESTORE_EMULATOR_PID:-}" ]; then
        # setsid made the launcher a process-group leader: the group is the launcher and its JVM.
        kill -TERM -- "-$FIRESTORE_EMULATOR_PID" 2>/dev/null || true
        local tries
        for tries in $(seq 1 50); do
            kill -0 -- "-$FIRESTORE_EMULATOR_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$FIRESTORE_EMULATOR_PID" 2>/dev/null || true
        FIRESTORE_EMULATOR_PID=""
    fi
    if [ -n "${FIRESTORE_EMULATOR_DIR:-}" ] && [ -d "$FIRESTORE_EMULATOR_DIR" ]; then rm -rf "$FIRESTORE_EMULATOR_DIR"; fi
}

start_firestore_emulator() {
    FIRESTORE_EMULATOR_PID=""
    if ! command -v gcloud >/dev/null; then
        emulator_skipped "gcloud is not installed (Debian package google-cloud-cli)"
        return 0
    fi
    if ! dpkg-query -W -f='${Status}' "$FIRESTORE_EMULATOR_PACKAGE" 2>/dev/null | grep -q 'install ok installed'; then
        # A subshell, and the outcome judged by dpkg afterwards: a failed install must not end the run.
        (ensure_packages "$FIRESTORE_EMULATOR_PACKAGE") || true
        if ! dpkg-query -W -f='${Status}' "$FIRESTORE_EMULATOR_PACKAGE" 2>/dev/null | grep -q 'install ok installed'; then
            emulator_skipped "$FIRESTORE_EMULATOR_PACKAGE is missing and apt-get could not install it (is Google's apt repository configured?)"
            return 0
        fi
    fi
    local launcher
    launcher=$(firestore_emulator_launcher)
    if [ ! -x "$launcher" ]; then
        emulator_skipped "$launcher is missing although $FIRESTORE_EMULATOR_PACKAGE is installed"
        return 0
    fi
    FIRESTORE_EMULATOR_DIR=$(mktemp -d /tmp/cutover-firestore-emulator.XXXXXX)
    FIRESTORE_EMULATOR_PORT=$(free_loopback_port 58080 58599)
    prepend_exit_trap stop_firestore_emulator
    # Its own session and process group, so stopping it reaches the JVM the launcher forks.
    setsid "$launcher" start --host=127.0.0.1 --port="$FIRESTORE_EMULATOR_PORT" \
        >"$FIRESTORE_EMULATOR_DIR/emulator.log" 2>&1 </dev/null &
    FIRESTORE_EMULATOR_PID=$!
}

# True when the emulator answers `GET /` with 200 (it says "Ok" once its HTTP server is up).
firestore_emulator_answers() {
    local status
    status=$(
        exec 2>/dev/null  # "connection refused" is the expected answer until it is up
        exec 3<>"/dev/tcp/127.0.0.1/$FIRESTORE_EMULATOR_PORT" || exit 1
        printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
        head -n 1 <&3
    ) || return 1
    [[ "$status" == "HTTP/1.1 200"* || "$status" == "HTTP/1.0 200"* ]]
}

await_firestore_emulator() {
    [ -n "${FIRESTORE_EMULATOR_PID:-}" ] || return 0
    local tries
    # At most 60 s: it starts in about 3.5 s on 2 cores when nothing else runs.
    for tries in $(seq 1 600); do
        if firestore_emulator_answers; then
            export CUTOVER_TEST_FIRESTORE_EMULATOR_HOST="127.0.0.1:$FIRESTORE_EMULATOR_PORT"
            unset CUTOVER_TEST_FIRESTORE_EMULATOR_SKIPPED
            echo "==> Firestore emulator on $CUTOVER_TEST_FIRESTORE_EMULATOR_HOST (log in $FIRESTORE_EMULATOR_DIR)"
            return 0
        fi
        if ! kill -0 "$FIRESTORE_EMULATOR_PID" 2>/dev/null; then
            cat "$FIRESTORE_EMULATOR_DIR/emulator.log" >&2
            echo "the Firestore emulator exited before answering" >&2
            return 1
        fi
        sleep 0.1
    done
    cat "$FIRESTORE_EMULATOR_DIR/emulator.log" >&2
    echo "the Firestore emulator did not answer on 127.0.0.1:$FIRESTORE_EMULATOR_PORT within 60 s" >&2
    return 1
}
