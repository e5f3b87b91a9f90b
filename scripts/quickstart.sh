#!/usr/bin/env bash
# The main job on the embedded default (SQLite + the embedded document store): `cutover rehearse` runs
# the whole cutover on demo data — seed, status, snapshot, replay parity, drain, verify, archive,
# restore rehearsal, retire, rollback, verify — and ends with a go/no-go.
# Installs what is missing; leaves nothing running.
# Everything it writes goes under ./cutover-out/, except the manual page: ~/.local/share/man/man1/cutover.1
# ($XDG_DATA_HOME/man/man1 when set).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages libpq-dev libsqlite3-dev zlib1g-dev libdeflate-dev libssl-dev libcurl4-openssl-dev pkg-config sqlite3

echo "==> building cutover"
swift build --product cutover 2>&1 | tail -n 1
cutover=$(swift build --show-bin-path)/cutover
out=cutover-out

# The manual page, where man looks for a user's own pages (no root needed): man cutover.
man_dir="${XDG_DATA_HOME:-$HOME/.local/share}/man/man1"
mkdir -p "$man_dir"
install -m 0644 docs/man/cutover.1 "$man_dir/cutover.1"
echo "==> installed the manual page as $man_dir/cutover.1 (man cutover; man -l docs/man/cutover.1 reads it in place)"

echo
echo "==> cutover rehearse   (seed → status → snapshot → parity → drain → verify → archive → restore → retire → rollback → verify)"
"$cutover" rehearse --out "$out"
echo
echo "==> what it left: the reports to read first"
echo "    $out/parity/parity.html   the parity report (open it in a browser)"
echo "    $out/verify/verify.md     the drain's proof and the register reconciliation"
echo "    $out/archive.tar.gz       the archive (tar xzf it; sha256sum -c its manifests)"
