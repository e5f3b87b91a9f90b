#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts a throwaway PostgreSQL 15 and Google's
# Firestore emulator on free loopback ports, runs every test against them, and stops both even when
# tests fail. Extra arguments go to `swift test` (e.g. --filter SnapshotTests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/throwaway-postgres.sh
source scripts/lib/firestore-emulator.sh

ensure_packages libpq-dev libsqlite3-dev zlib1g-dev libdeflate-dev libssl-dev pkg-config postgresql-15 sqlite3 \
    python3-jsonschema man-db
start_throwaway_postgres
# The JVM starts while Swift builds; the wait after the build is then usually nil.
start_firestore_emulator
swift build --build-tests
await_firestore_emulator
swift test --skip-build "$@"
