#!/usr/bin/env bash
# Benchmarks (release build) against pg_dump, psql | gzip and friends, on a throwaway PostgreSQL 15.
# Writes Benchmarks/results/latest.{json,md}. Extra arguments go to cutover-bench (e.g. --runs 5).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/throwaway-postgres.sh

ensure_packages libpq-dev libsqlite3-dev zlib1g-dev libdeflate-dev libssl-dev libcurl4-openssl-dev pkg-config postgresql-15 time
echo "==> building release"
swift build -c release --product cutover 2>&1 | tail -n 1
swift build -c release --product cutover-bench 2>&1 | tail -n 1
start_throwaway_postgres
"$(swift build -c release --show-bin-path)/cutover-bench" --cutover "$(swift build -c release --show-bin-path)/cutover" "$@"
