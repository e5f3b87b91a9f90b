#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts a throwaway PostgreSQL 15 and Google's
# Firestore emulator on free loopback ports, runs every test against them, and stops both even when
# tests fail. Extra arguments go to Swift Testing's runner (e.g. --filter SnapshotTests, --skip Golden).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/throwaway-postgres.sh
source scripts/lib/firestore-emulator.sh

ensure_packages libpq-dev libsqlite3-dev zlib1g-dev libdeflate-dev libssl-dev libcurl4-openssl-dev pkg-config postgresql-15 sqlite3 \
    python3-jsonschema man-db
start_throwaway_postgres
# The JVM starts while Swift builds; the wait after the build is then usually nil.
start_firestore_emulator
swift build --build-tests
await_firestore_emulator
# The test bundle run as `swift test --skip-build` runs it, without its second planning of the build: that
# took 11 s of wall time and 15 s of CPU here before the first test started. The package has no XCTest
# tests, so only Swift Testing's pass is run; its options (--filter, --skip, --event-stream-output-path)
# pass through. Exit 69 is Swift Testing's "no test matched".
# Swift Testing colours its lines whenever TERM is set; `swift test` kept logs and pipes plain.
[ -t 1 ] || export NO_COLOR=1
status=0
.build/debug/CutoverPackageTests.xctest --testing-library swift-testing "$@" || status=$?
if [ "$status" = 69 ]; then
    echo "no test matched: $*" >&2
fi
exit "$status"
