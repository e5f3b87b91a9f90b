#!/usr/bin/env bash
# Regenerates docs/man/cutover.1, the manual page of `cutover` and all its subcommands, with
# swift-argument-parser's generate-manual plugin (the same package the commands are parsed by), so
# the page says what `cutover --help` says. Run it after changing a command's options or help:
# CLIManPageTests fails while the page is stale.
#
#   bash scripts/man.sh            # rewrite docs/man/cutover.1
#
# The plugin builds the package in debug (reusing an existing debug build) and generate-manual once
# (swift-argument-parser's tool, built for the host on first use). The page's second line records the
# SHA-256 of the `cutover --experimental-dump-help` output it was made from: the test compares that with
# the built binary's, which costs one run of the binary instead of the plugin's build.
set -euo pipefail
cd "$(dirname "$0")/.."

swift package plugin generate-manual --configuration debug --date "$(date -u +%F)" \
    --authors 'the Cutover project' >&2
generated=$(find .build/plugins -path '*GenerateManual*' -name cutover.1 -print0 |
    xargs -0 ls -t | head -n 1)
[ -n "$generated" ] || { echo "man.sh: generate-manual wrote no cutover.1" >&2; exit 1; }

digest=$("$(swift build --show-bin-path)/cutover" --experimental-dump-help | sha256sum | cut -d' ' -f1)
mkdir -p docs/man
temporary=$(mktemp docs/man/.cutover.1.XXXXXX)
{
    head -n 1 "$generated"
    printf '.\\" cutover --experimental-dump-help sha256 %s (scripts/man.sh)\n' "$digest"
    tail -n +2 "$generated"
} > "$temporary"
chmod 0644 "$temporary"
mv "$temporary" docs/man/cutover.1
echo "docs/man/cutover.1 written (dump-help sha256 $digest)"
