# free_loopback_port FIRST LAST: prints a loopback port in FIRST..LAST that nothing listens on.
# The search starts at a random place in the range, so two test runs started at the same moment
# (parallel sessions on one machine) rarely pick the same port before either has bound it.

free_loopback_port() {
    local first=$1 last=$2 span offset i port
    span=$((last - first + 1))
    offset=$((RANDOM % span))
    for ((i = 0; i < span; i++)); do
        port=$((first + (offset + i) % span))
        # A refused connection means nothing listens there.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    echo "no free port in $first-$last" >&2
    return 1
}
