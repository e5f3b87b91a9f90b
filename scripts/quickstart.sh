#!/usr/bin/env bash
# The main job on the embedded default (SQLite + the embedded document store): seed a demo legacy
# database and its Firestore side, look at the queue, snapshot both, and read the snapshot back.
# Installs what is missing; leaves nothing running.
# Everything it writes goes under ./cutover-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages libpq-dev libsqlite3-dev zlib1g-dev libssl-dev pkg-config sqlite3

echo "==> building cutover"
swift build --product cutover 2>&1 | tail -n 1
cutover=$(swift build --show-bin-path)/cutover
out=cutover-out
mkdir -p "$out"
store="embedded:$out/legacy-firestore.sqlite"

step() { echo; echo "==> $*"; }
step "cutover demo seed --into sqlite:$out/legacy.sqlite --firestore $store --replace"
"$cutover" demo seed --into "sqlite:$out/legacy.sqlite" --firestore "$store" --replace
step "cutover status --source sqlite:$out/legacy.sqlite --firestore $store   (last run from sync_logs)"
"$cutover" status --source "sqlite:$out/legacy.sqlite" --firestore "$store"
step "cutover snapshot --source sqlite:$out/legacy.sqlite --firestore $store --out $out/snapshot.sqlite --force"
"$cutover" snapshot --source "sqlite:$out/legacy.sqlite" --firestore "$store" --out "$out/snapshot.sqlite" --force
step "cutover status --source $out/snapshot.sqlite --json > $out/status.json   (the snapshot carries its sync_logs)"
"$cutover" status --source "$out/snapshot.sqlite" --json > "$out/status.json"
echo "wrote $out/status.json ($(wc -l < "$out/status.json") lines): the same numbers, read from the snapshot file"
step "the snapshot is plain SQLite: sqlite3 $out/snapshot.sqlite 'SELECT name, row_count, sha256 FROM snapshot_tables'"
sqlite3 "$out/snapshot.sqlite" 'SELECT name, row_count, sha256 FROM snapshot_tables'
echo
echo "done: artifacts in $out/"
