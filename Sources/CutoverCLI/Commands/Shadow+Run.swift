import ArgumentParser
import CutoverCore
import CutoverSupport
import Firestore
import LegacySync

extension CutoverCommand.Shadow {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the queue's new rows with Path A's semantics to a shadow store (never to members).",
            discussion: """
                The first run notes where the queue stands; every later run reads the rows added since (progress is \
                kept in --record) and applies each as the \
                nightly run's pull did — replace on create, field-path patch on update, inactive on delete, \
                dropped fields included — into --shadow STORE. The first time a row touches a member, the \
                member's document is copied from --baseline STORE (production) so Path A's patches land on what \
                production held. The queue rows are left exactly as they are. --follow SECONDS keeps polling.

                Example:
                  cutover shadow run --source postgresql://app@db/register --record shadow.sqlite \\
                      --shadow embedded:shadow-a.sqlite --baseline firestore:my-project
                """)

        @OptionGroup var source: SourceOptions

        @Option(
            help: ArgumentHelp("The delivery record (progress is kept there).", valueName: "FILE"), completion: .file())
        var record: String

        @Option(help: ArgumentHelp("Where Path A's results go.", valueName: "STORE"))
        var shadow: String

        @Option(
            help: ArgumentHelp(
                "Where a member's document is copied from the first time (production).", valueName: "STORE"))
        var baseline: String?

        @Option(help: ArgumentHelp("Keep polling every SECONDS until interrupted.", valueName: "SECONDS"))
        var follow: Double?

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            // Nanoseconds of sleep: `inf` or 1e300 would trap converting, `nan` would poll without pause.
            if let follow { try OptionRange.seconds(follow, "--follow", minimum: 0.1, maximum: 86_400) }
        }

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                // The record and the shadow store are where the dual-run keeps its state: checked before the first row.
                try OutputPreflight.writableFile(record, for: "--record", created: created)
                try OutputPreflight.writableDatabase(shadow, for: "--shadow", created: created)
                created.database(baseline)
                let database = try LegacyDatabaseOpener.open(source.url())
                let runner = ShadowRunner(
                    database: database, table: try source.tableName(), shadow: try DocumentStoreOpener.open(shadow),
                    baseline: try baseline.map { try DocumentStoreOpener.open($0) },
                    recording: try DeliveryRecording(path: record))
                // Each pass is one numbered phase: `shadow run 3: applying the rows after row 1200 …`.
                output.progressPhases("shadow run", total: nil)
                repeat {
                    let counter = ProgressCounter("shadow run")
                    let summary = try await runner.runOnce(progress: output.progress, counted: { counter($0) })
                    output.progressEnd()
                    let line =
                        (summary.startedAfter.map {
                            "shadow run: the dual-run starts after row \($0); rows up to it are left alone\n"
                        } ?? "")
                        + "shadow run: \(summary.rows) rows applied with Path A's semantics (\(summary.written) "
                        + "written, "
                        + "\(summary.withoutWrite) without a write, \(summary.failed) failed, \(summary.invalid) "
                        + "invalid); last row \(summary.lastRow)\n"
                    if output.json {
                        // Followed, each pass is one envelope on one line (NDJSON: `EnvelopeStreaming`).
                        JSONEnvelope.printResult(
                            JSONValue.object([
                                "rows": .integer(Int64(summary.rows)), "written": .integer(Int64(summary.written)),
                                "without_write": .integer(Int64(summary.withoutWrite)),
                                "failed": .integer(Int64(summary.failed)),
                                "invalid": .integer(Int64(summary.invalid)), "last_row": .integer(summary.lastRow),
                            ]), exitCode: 0)
                    } else if !output.quiet || follow == nil {
                        CommandRunner.printOut(line)
                    }
                    if let follow { try await Task.sleep(nanoseconds: UInt64(follow * 1e9)) }
                } while follow != nil && !Task.isCancelled
                return 0
            }
        }
    }
}

extension CutoverCommand.Shadow.Run: EnvelopeStreaming {
    static var streamingOption: String { "--follow" }
}

extension CutoverCommand.Shadow.Run: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        try source.fill(from: configuration)
    }
}
