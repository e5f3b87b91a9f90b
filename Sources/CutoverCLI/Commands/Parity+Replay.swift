import ArgumentParser
import CutoverCore
import CutoverLedger
import CutoverSupport
import DocumentParity
import Snapshots

extension CutoverCommand.Parity {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a snapshot's pending changes through both paths and report parity.",
            discussion: """
                Both paths start from their own copy of the snapshot's Firestore baseline (take the snapshot \
                with --firestore). The change stream is the queue rows not yet synced, oldest first: Path A \
                handles them as its next nightly run would (the `since` rule, dropped fields, orphan deletes, \
                enum bounds); Path B gets the webhook call Django would have made for each, with the member's \
                data from the register (9999 members and contact-only edits are not sent). The documents are \
                then compared member by member under the rules. An A/A run (Path A again an hour later) \
                measures the noise the rules must ignore.

                Writes parity.json (stable: the same inputs give the same bytes), parity.md and parity.html \
                into --out, and prints the summary. Personal data is masked unless --unmask; a masked kennitala \
                carries a 3-letter tag (a keyed permutation of the hidden digits, the key CUTOVER_TAG_KEY or \
                else derived from the snapshot's register), the same in every report of the snapshot. \
                A FAIL's reports open with what to decide for each unaccepted cause, with the rules-file lines \
                that would accept it. \
                --member, --since and --until restrict the replay to some members or rows: a drill-down the \
                reports name, which no gate accepts.

                Exit codes: 0 pass, 10 pass with accepted differences, 11 fail, 12 inconclusive (no member \
                compared, no register or no Firestore baseline in the snapshot, or rules that ignore every \
                differing field: the report says what is missing); 7 for a bad snapshot or rules file — also \
                for a snapshot changed since it was written: every table (queue, register, Firestore \
                collections) is checked against the manifest first, and the changed one is named.

                Examples:
                  cutover parity replay --snapshot Snapshots/legacy.snapshot --out reports/parity
                  cutover parity replay --snapshot Snapshots/legacy.snapshot --rules none --out reports/raw
                  cutover parity replay --snapshot Snapshots/legacy.snapshot --member 010170-2389 --out reports/one
                """)

        @Option(
            name: .long, help: ArgumentHelp("The snapshot file (taken with --firestore).", valueName: "FILE"),
            completion: .file())
        var snapshot: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The rules file (YAML), or `none` to compare raw shapes. Default: the shipped rules (`cutover parity "
                    + "rules`).",
                valueName: "FILE|none"), completion: .file())
        var rules: String?

        @Option(
            name: .long, help: ArgumentHelp("Where to write parity.json, parity.md and parity.html.", valueName: "DIR"),
            completion: .directory)
        var out = "cutover-out/parity"

        @OptionGroup(title: "Drill-down") var drillDown: DrillDownOptions

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var forcing: ForceOption

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                let step = try ledger.begin(.parity, force: forcing.force, created: created)
                // A step that stops with an error is recorded as failed, with the exit code it ends with.
                return try await CommandRunner.recording(step) {
                    // Before minutes of replay: the snapshot is there and the reports can be written.
                    try OutputPreflight.readableFile(snapshot, for: "--snapshot")
                    try OutputPreflight.writableDirectory(out, for: "--out", created: created)
                    let replay = ParityReplay(
                        .init(
                            snapshotPath: snapshot, rules: try ParityRules.load(rules), masker: output.masker,
                            scope: try drillDown.scope()))
                    let clock = ContinuousClock()
                    let started = clock.now
                    let meter = ProgressMeter()
                    // The manifest's row count is the total the percentage is of (a snapshot it cannot read
                    // is the replay's to refuse, below).
                    let totalRows = (try? SnapshotFile(path: snapshot))?.manifest.table("queue_rows")?.rowCount
                    let report = try await replay.run { members, rows in
                        output.progressUpdate(
                            meter.line("parity", rows, of: totalRows, unit: "queue rows")
                                + ", \(ProgressMeter.grouped(members)) members")
                    }
                    let elapsed = clock.now - started
                    let files = try report.write(into: out)
                    try step?.finish(
                        exitCode: report.verdict.exitCode,
                        // A drill-down never stands for the step: the ledger keeps it apart from a full replay.
                        verdict: report.setting.scope != nil ? .drillDown : Ledger.Verdict(report.verdict),
                        outputs: .init(snapshot: snapshot, report: "\(out)/parity.json"))
                    if output.json {
                        try JSONEnvelope.printResult(file: files.json, exitCode: report.verdict.exitCode)
                    } else {
                        CommandRunner.printOut(Self.summary(report, out: out, elapsed: elapsed))
                    }
                    return report.verdict.exitCode
                }
            }
        }

        static func summary(_ report: ParityReport, out: String, elapsed: Duration) -> String {
            let counts = report.counts
            var lines =
                [
                    "parity: \(report.verdict.title)"
                ] + report.missing.map { "  missing: \($0)" } + [
                    "  \(report.countsLine)",
                    "  rows replayed \(counts.rowsReplayed) for \(counts.membersReplayed) members; rules: "
                        + "\(report.setting.rulesOrigin)",
                    "  noise (A/A): \(report.noise.membersDiffering) members differ"
                        + (report.noise.notIgnored.isEmpty
                            ? ", all ignored by the rules"
                            : "; not ignored: \(report.noise.notIgnored.joined(separator: ", "))"),
                    "  known differences found: \(report.hazards.filter(\.observed).count) of \(report.hazards.count)",
                ]
            let failing = report.fields.filter { $0.differences > $0.accepted }
            if !failing.isEmpty {
                lines.append("  fields with differences not accepted:")
                for row in failing { lines.append("    \(row.path): \(row.differences - row.accepted)") }
            }
            if !report.decisions.isEmpty && report.verdict == .fail {
                lines.append(
                    "  to decide (fix Path B, or accept with the lines under \"What to decide\" in parity.md):")
                for decision in report.decisions {
                    let (key, value) = decision.subject.rule
                    lines.append("    \(key) \(value): \(decision.members) members")
                }
            }
            if !report.problems.isEmpty {
                lines.append("  invalid queue rows left out: \(report.problems.count) (listed in the report)")
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            lines.append("  reports: \(out)/parity.{json,md,html} (\(String(format: "%.1f", seconds)) s)")
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

extension CutoverCommand.Parity.Replay: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        rules = rules ?? configuration.rules
        ledger.fill(from: configuration)
    }
}
