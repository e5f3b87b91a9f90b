#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts a throwaway PostgreSQL 15 on a free
# loopback port, runs every test against it, and stops the server even when tests fail.
# Extra arguments go to `swift test` (e.g. --filter SnapshotTests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/throwaway-postgres.sh

ensure_packages libpq-dev libsqlite3-dev zlib1g-dev libssl-dev pkg-config postgresql-15 sqlite3
start_throwaway_postgres
swift build --build-tests
swift test --skip-build "$@"
