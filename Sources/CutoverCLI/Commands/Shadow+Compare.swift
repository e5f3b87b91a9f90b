import ArgumentParser
import CutoverCore
import CutoverSupport
import DocumentParity
import Firestore
import LegacySync

extension CutoverCommand.Shadow {
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Coverage and content parity of the dual-run over a window.",
            discussion: """
                Coverage: each queue row created in [--since, --until] is matched to a delivery for the same \
                kennitala and action (arriving up to --match-window later; default 30 s: Django posts inside the save, \
                once, with a 10 s timeout, and the rest is room for clock skew), the nearest in time, and each \
                delivery to a row; rows Path B never posts for (contact-info or address edits alone, 9999 \
                members) take no delivery. Coverage findings: \
                missing webhooks, webhooks with no queue row (a rolled-back change), duplicate deliveries, and the \
                explained ones (9999 members, contact-only edits, rejected requests). Content: Path A's shadow \
                documents against Path B's, under the replay's rules. Changes inside the settling window (the last \
                --settle before --until) are reported as in flight, not as differences.

                Writes shadow.json, shadow.md and shadow.html into --out. Exit codes: 0 pass, 11 fail, \
                12 inconclusive (no delivery recorded in the window, or --until not after --since).

                Example:
                  cutover shadow compare --source postgresql://app@db/register --record shadow.sqlite \\
                      --path-a embedded:shadow-a.sqlite --path-b embedded:shadow-b.sqlite \\
                      --since 2026-11-26T00:00:00Z --until 2026-11-27T00:00:00Z --settle 5m
                """)

        @OptionGroup var source: SourceOptions

        @Option(help: ArgumentHelp("The delivery record.", valueName: "FILE"), completion: .file())
        var record: String

        @Option(help: ArgumentHelp("Path A's results (shadow run's store).", valueName: "STORE"))
        var pathA: String

        @Option(help: ArgumentHelp("Path B's results (shadow serve's --target, or production).", valueName: "STORE"))
        var pathB: String

        @Option(help: ArgumentHelp("Window start (ISO 8601).", valueName: "TIME"))
        var since: Timestamp

        @Option(help: ArgumentHelp("Window end (ISO 8601; default now).", valueName: "TIME"))
        var until: Timestamp?

        @Option(help: ArgumentHelp("Settling time before --until: 90, 90s, 5m or 1h.", valueName: "DURATION"))
        var settle = DurationArgument(seconds: 60)

        @Option(
            help: ArgumentHelp(
                "How long after its row a delivery may arrive and still match: 120, 2m…", valueName: "DURATION"))
        var matchWindow = DurationArgument(seconds: 30)

        @Option(
            help: ArgumentHelp("The rules file (YAML); default: the shipped rules.", valueName: "FILE"),
            completion: .file())
        var rules: String?

        @Option(
            help: ArgumentHelp("Where to write shadow.json, shadow.md and shadow.html.", valueName: "DIR"),
            completion: .directory)
        var out = "cutover-out/shadow"

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                // A record missing here is an inconclusive comparison (no delivery recorded), not an error.
                created.file(record)
                try OutputPreflight.writableDirectory(out, for: "--out", created: created)
                created.database(pathA)
                created.database(pathB)
                var configuration = ShadowComparison.Configuration(since: since, until: until ?? .now)
                configuration.settleSeconds = settle.seconds
                configuration.matchWindowSeconds = matchWindow.seconds
                configuration.rules = try ParityRules.load(rules)
                configuration.table = try source.tableName()
                output.progressPhases("shadow compare", total: ShadowComparison.phaseCount)
                let counter = ProgressCounter("shadow compare")
                let report = try await ShadowComparison(
                    configuration: configuration, database: try LegacyDatabaseOpener.open(source.url()),
                    recording: try DeliveryRecording(path: record), pathA: try DocumentStoreOpener.open(pathA),
                    pathB: try DocumentStoreOpener.open(pathB)
                ).run(progress: output.progress, counted: { counter($0) })
                let files = try report.write(into: out, masker: output.masker)
                // The full report is in the files; the terminal gets what an operator acts on.
                if output.json {
                    try JSONEnvelope.printResult(file: files.json, exitCode: report.exitCode)
                } else {
                    CommandRunner.printOut(Self.summary(report, out: out))
                }
                return report.exitCode
            }
        }

        static func summary(_ report: ShadowReport, out: String) -> String {
            let counts = report.counts
            var lines = ["shadow compare: \(report.title)"] + report.missing.map { "  missing: \($0)" }
            lines.append(
                "  window \(report.since.iso8601) – \(report.until.iso8601), settling \(report.settleSeconds) s")
            lines.append(
                "  coverage: "
                    + CoverageFinding.Kind.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
            lines.append(
                "  content: \(report.comparisons.count) members compared, \(report.contentDifferences.count) differ "
                    + "beyond the rules, "
                    + "\(report.unsettledMembers) in flight")
            lines.append("  reports: \(out)/shadow.{json,md,html}")
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

extension CutoverCommand.Shadow.Compare: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        try source.fill(from: configuration)
        rules = rules ?? configuration.rules
    }
}
