#!/usr/bin/env bash
# Where the test suite's wall time goes. Runs scripts/test.sh (extra arguments go to Swift Testing's
# runner, e.g. --filter CLIDrain) with Swift Testing's JSON event stream written to a file, then prints the test run's
# wall time, the tests that ended last (the critical path: the run ends when they do), the slowest tests,
# and how many tests were running at once along the way. Each test is shown with when it started and
# ended, in seconds since the run began.
#
#   bash scripts/test-timings.sh                 # the whole suite
#   TIMINGS_DIR=/tmp/before bash scripts/test-timings.sh
#   bash scripts/test-timings.sh --summarize /tmp/before/events.jsonl   # an earlier run's summary, no run
#
# The event stream, not the console, because the console's `Test X passed after N seconds` says how long
# but not when (a test that waited for a thread, or started late), and piped it arrives in buffered bursts.
# The test step itself is timed too, from test.sh's line just before it to the last line of output.
set -uo pipefail
cd "$(dirname "$0")/.."

summarize() {
    python3 - "$1" <<'PYTHON'
import json, sys

names, functions, started, ended, order = {}, set(), {}, {}, []
run_start = run_end = None
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    payload = record.get("payload", {})
    if record.get("kind") == "test":
        # The function's name with its suite's (the id is Module.Suite/function()/File.swift:line:column).
        names[payload["id"]] = payload["id"].split("/")[0].split(".")[-1] + "." + payload["name"]
        if payload.get("kind") == "function":
            functions.add(payload["id"])
        continue
    kind, at = payload.get("kind"), payload.get("instant", {}).get("absolute")
    test = payload.get("testID")
    if kind == "runStarted":
        run_start = at
    elif kind == "runEnded":
        run_end = at
    elif kind == "testStarted" and payload.get("testCase") is None:
        started[test] = at
        order.append(test)
    elif kind in ("testEnded", "testSkipped") and payload.get("testCase") is None:
        ended[test] = at
        started.setdefault(test, at)

if run_start is None:
    sys.exit("no runStarted event in the stream")
run_end = run_end or max(ended.values(), default=run_start)
print(f"test run: {run_end - run_start:.1f} s from its first event to its last, {len(functions)} tests")
# Tests, not suites: a suite's span is its slowest test's.
rows = [(names[t], started[t] - run_start, ended[t] - run_start) for t in order if t in ended and t in functions]
def show(title, chosen):
    print(f"\n{title}\n{'start':>8} {'end':>8} {'took':>8}  test")
    for name, start, end in chosen:
        print(f"{start:8.1f} {end:8.1f} {end - start:8.1f}  {name}")
show("ended last (the critical path):", sorted(rows, key=lambda r: -r[2])[:10])
show("slowest:", sorted(rows, key=lambda r: r[1] - r[2])[:25])
print("\ntests running at once (sampled every 10 s):")
t = 0.0
while t <= run_end - run_start:
    print(f"{t:8.0f} s: {sum(1 for _, s, e in rows if s <= t < e)}")
    t += 10
PYTHON
}

if [ "${1:-}" = "--summarize" ]; then
    summarize "$2"
    exit
fi

dir=${TIMINGS_DIR:-$(mktemp -d /tmp/cutover-test-timings.XXXXXX)}
mkdir -p "$dir"
rm -f "$dir/events.jsonl"
# Each line stamped as it arrives: the stamps of test.sh's own lines time the test step.
bash scripts/test.sh --event-stream-output-path "$dir/events.jsonl" --event-stream-version 0 "$@" 2>&1 \
    | perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } printf "%.3f %s", time, $_' | tee "$dir/output.log" \
    | cut -d' ' -f2-
status=${PIPESTATUS[0]}
echo "==> output in $dir/output.log, events in $dir/events.jsonl"
# From the line test.sh prints just before the test bundle runs to the last line of output.
awk '/==> Firestore emulator on|WARNING: the emulator tests/ { start = $1 } { last = $1 }
    END { if (start) printf "test step: %.1f s from its start to its last line\n", last - start }' "$dir/output.log"
summarize "$dir/events.jsonl"
exit "$status"
