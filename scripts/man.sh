#!/usr/bin/env bash
# Regenerates docs/man/cutover.1, the manual page of `cutover` and all its subcommands, with
# swift-argument-parser's generate-manual (the same package the commands are parsed by), so the page
# says what `cutover --help` says. Run it after changing a command's options or help:
# CLIManPageTests fails while the page is stale.
#
#   bash scripts/man.sh            # rewrite docs/man/cutover.1
#
# The plugin builds the package in debug (reusing an existing debug build) and generate-manual once
# (swift-argument-parser's tool, built for the host on first use). The page's second line records the
# SHA-256 of the `cutover --experimental-dump-help` output it was made from: the test compares that with
# the built binary's, which costs one run of the binary instead of the plugin's build.
#
# Non-ASCII characters: generate-manual 1.8.2 escapes text for mdoc keeping ASCII only (String+Escaping.swift,
# `for character in self where character.isASCII`), so the help's em dashes, arrows and "Reykjavík" vanished
# from the page. The tool is therefore run here on a stand-in for the binary that spells each non-ASCII
# character of the help as @U+XXXX@ (ASCII, which it keeps), and the page then gets each back as an mdoc
# escape. The mapping, named escapes where groff and mandoc both have one, else the code point:
#   U+2014 — \(em    U+2013 – \(en    U+2192 → \(->   U+2190 ← \(<-   U+2194 ↔ \(<>
#   U+2261 ≡ \(==    U+2260 ≠ \(!=    U+2264 ≤ \(<=   U+2265 ≥ \(>=   U+00D7 × \(mu
#   U+2018 ‘ \(oq    U+2019 ’ \(cq    U+201C “ \(lq   U+201D ” \(rq
#   any other        \[uXXXX]   (groff_char(7), mandoc_char(7): a Unicode character by its code point)
set -euo pipefail
cd "$(dirname "$0")/.."

date=$(date -u +%F)
swift package plugin generate-manual --configuration debug --date "$date" \
    --authors 'the Cutover project' >&2
bin=$(swift build --show-bin-path)
tool="$bin/generate-manual-tool"   # where the plugin built generate-manual
if [ ! -x "$tool" ]; then
    tool=$(find .build -type f -name generate-manual-tool -perm -u+x -print | head -n 1)
fi
[ -n "$tool" ] && [ -x "$tool" ] || { echo "man.sh: the plugin built no generate-manual-tool" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# generate-manual names the page after the tool it runs (`cutover` → cutover.1).
cat > "$work/cutover" <<'STANDIN'
#!/bin/sh
set -e
"$CUTOVER_MANUAL_BINARY" "$@" | perl -CS -pe 's/([^\x00-\x7F])/sprintf("\@U+%04X\@", ord($1))/ge'
STANDIN
chmod 0755 "$work/cutover"
CUTOVER_MANUAL_BINARY="$bin/cutover" "$tool" "$work/cutover" --date "$date" \
    --authors 'the Cutover project' --output-directory "$work" >&2
generated="$work/cutover.1"
[ -s "$generated" ] || { echo "man.sh: generate-manual wrote no cutover.1" >&2; exit 1; }

digest=$("$bin/cutover" --experimental-dump-help | sha256sum | cut -d' ' -f1)
mkdir -p docs/man
temporary=$(mktemp docs/man/.cutover.1.XXXXXX)
{
    head -n 1 "$generated"
    printf '.\\" cutover --experimental-dump-help sha256 %s (scripts/man.sh)\n' "$digest"
    tail -n +2 "$generated" | perl -pe '
        BEGIN {
            %named = ("2014" => "\\(em", "2013" => "\\(en", "2192" => "\\(->", "2190" => "\\(<-",
                "2194" => "\\(<>", "2261" => "\\(==", "2260" => "\\(!=", "2264" => "\\(<=", "2265" => "\\(>=",
                "00D7" => "\\(mu", "2018" => "\\(oq", "2019" => "\\(cq", "201C" => "\\(lq", "201D" => "\\(rq");
        }
        s/\@U\+([0-9A-F]{4,6})\@/exists $named{$1} ? $named{$1} : "\\[u$1]"/ge'
} > "$temporary"
if grep -q '@U+[0-9A-F]*@' "$temporary"; then
    rm -f "$temporary"
    echo "man.sh: a non-ASCII character was left spelled out in the page" >&2
    exit 1
fi
chmod 0644 "$temporary"
mv "$temporary" docs/man/cutover.1
echo "docs/man/cutover.1 written (dump-help sha256 $digest)"
