#!/usr/bin/env bash
# The main job on the embedded default (SQLite + the embedded document store): `cutover rehearse` runs
# the whole cutover on demo data — seed, status, snapshot, replay parity, drain, verify, archive,
# restore rehearsal, retire, rollback, verify — and ends with a go/no-go.
# Installs what is missing; leaves nothing running.
# Everything it writes goes under ./cutover-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages libpq-dev libsqlite3-dev zlib1g-dev libdeflate-dev libssl-dev pkg-config sqlite3

echo "==> building cutover"
swift build --product cutover 2>&1 | tail -n 1
cutover=$(swift build --show-bin-path)/cutover
out=cutover-out

echo
echo "==> cutover rehearse   (seed → status → snapshot → parity → drain → verify → archive → restore → retire → rollback → verify)"
"$cutover" rehearse --out "$out"
echo
echo "==> what it left: the reports to read first"
echo "    $out/parity/parity.html   the parity report (open it in a browser)"
echo "    $out/verify/verify.md     the drain's proof and the register reconciliation"
echo "    $out/archive.tar.gz       the archive (tar xzf it; sha256sum -c its manifests)"
