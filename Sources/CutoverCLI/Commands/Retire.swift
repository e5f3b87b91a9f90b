import ArgumentParser
import CutoverCore
import CutoverLedger
import CutoverSupport
import LegacySync

extension CutoverCommand {
    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire the queue table once every gate is green; print the rollback command.",
            discussion: """
                Checks each gate and prints it with pass/fail and why:
                  archive-valid       the archive is complete and valid (BagIt, checksums, sidecar)
                  archive-fresh       its data was read within --max-age-hours (24 by default)
                  restore-rehearsed   a restore of this very archive matched its manifest (restore.json)
                  drain-proof         the journal's newest drain finished with nothing unresolved, dead or invalid
                  parity-verdict      the parity report says pass or accepted (not fail, not inconclusive)
                  source-identity     the archive, parity report, drain journal and restore record all come
                                      from this database and table (--force passes it, printed and recorded)
                  no-rows-after-mark  no queue row was written after the drain's mark
                  quiet-window        no queue row inserted for --quiet-for (10 min default)
                                      by created_at: Django runs without Path A's handlers
                Only with --confirm, and only when every gate passes, the table is renamed to \
                <name>_retired_<yyyymmdd> (in PostgreSQL with its sequence and indexes, so that a rollback can \
                recreate the originals beside it; SQLite drops the retired table's indexes) — or dropped with \
                --drop — in one transaction. --purge-firestore then deletes sync_queue and sync_logs from \
                --target, once the archive is seen to hold them. --dry-run (the default without --confirm) \
                prints the SQL it would run, and what an unchanged Django does after retirement: every member \
                save fails (relation "membership_membersyncqueue" does not exist) while Path A's signal handlers \
                remain. Deploy Django without them (keep Path B's), wait the quiet window, then retire.

                With --confirm it holds the queue from the gates to the rename: a drain, restore or nightly run \
                on it meanwhile is refused, and one already running refuses the retirement (exit 9, naming it).

                Exit codes: 0 retired (or every gate green on a dry run), 40 refused (a gate failed), 9 another \
                run holds the queue.

                Example:
                  cutover retire --source postgresql://app@db/register --archive queue.tar.gz \\
                      --parity cutover-out/parity/parity.json --confirm
                """)

        @OptionGroup var source: SourceOptions

        @Option(help: ArgumentHelp("The archive that makes the way back.", valueName: "FILE"), completion: .file())
        var archive: String

        @Option(
            help: ArgumentHelp(
                "The parity report (default: the ledger's, else cutover-out/parity/parity.json).", valueName: "FILE"),
            completion: .file())
        var parity: String?

        @Option(
            help: ArgumentHelp(
                "The drain journal (default: the ledger's, else cutover-out/drain-journal.sqlite).", valueName: "FILE"),
            completion: .file())
        var journal: String?

        @Option(
            help: ArgumentHelp(
                "The rehearsal's restore record (default: the ledger's, else cutover-out/restore/restore.json).",
                valueName: "FILE"), completion: .file())
        var rehearsal: String?

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "How old the archive's data may be, in hours.")
        var maxAgeHours = 24

        @Option(
            help: ArgumentHelp(
                "How long the queue table must have taken no insert (by its newest created_at): 90s, 10m, 1h.",
                valueName: "DURATION"))
        var quietFor = DurationArgument(seconds: 600)

        @Flag(help: "Drop the table instead of renaming it.")
        var drop = false

        @Flag(help: "Also delete Firestore sync_queue and sync_logs (from --target) once archived.")
        var purgeFirestore = false

        @Option(help: ArgumentHelp("The store to purge (--firestore is a synonym).", valueName: "STORE"))
        var target: String?

        @OptionGroup var firestore: FirestoreOptions

        @Flag(
            help:
                """
                Pass the source-identity gate although artifacts come from another database (printed, recorded in the \
                ledger).
                """
        )
        var force = false

        @Flag(help: "Retire for real. Without it nothing changes.")
        var confirm = false

        @Flag(help: "Print the gates and the SQL; change nothing (the default without --confirm).")
        var dryRun = false

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try OptionRange.hours(maxAgeHours, "--max-age-hours")
            // The archive is made before Path A's handlers go and the wait begins: a wait longer than the
            // archive may be old leaves archive-fresh and quiet-window never green together.
            guard quietFor.seconds <= Int64(maxAgeHours) * 3600 else {
                throw ValidationError(
                    "--quiet-for \(quietFor.seconds)s is longer than --max-age-hours \(maxAgeHours): "
                        + "the archive, made before the wait, would be too old when it ends")
            }
        }

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                // A missing archive is a failing gate, reported with the others, so nothing is read early; a store
                // or ledger a mistyped path made empty is removed again when the command fails.
                created.database(firestore.firestore ?? target)
                // Retirement's own gates decide; the ledger records the outcome and names the reports.
                let step = try ledger.begin(.retire, force: false, gated: false, created: created)
                // A step that stops with an error is recorded as failed, with the exit code it ends with.
                return try await CommandRunner.recording(step) {
                    let recorded = try ledger.ledger.map { try Ledger(path: $0) }
                    var configuration = Retirement.Configuration(
                        table: try source.tableName(), archivePath: archive,
                        parityReportPath: try parity ?? recorded?.latest(.parity)?.outputs.report
                            ?? "cutover-out/parity/parity.json",
                        journalPath: try journal ?? recorded?.latest(.drain)?.outputs.journal
                            ?? "cutover-out/drain-journal.sqlite",
                        rehearsalPath: try rehearsal ?? recorded?.latest(.restore)?.outputs.restoreRecord
                            ?? "cutover-out/restore/restore.json")
                    configuration.maxAgeSeconds = Int64(maxAgeHours) * 3600
                    configuration.quietForSeconds = quietFor.seconds
                    configuration.drop = drop
                    configuration.purgeFirestore = purgeFirestore
                    configuration.confirm = confirm && !dryRun
                    configuration.force = force
                    let store = purgeFirestore ? try firestore.open(fallback: target) : nil
                    let database = try LegacyDatabaseOpener.open(source.url())
                    let result = try await Retirement(configuration: configuration, database: database, store: store)
                        .run()
                    try step?.finish(
                        exitCode: result.exitCode,
                        verdict: result.executed ? .retired : result.allGatesPass ? .allGatesPass : .refused,
                        forcedPast: result.forcedPast, outputs: .init(archive: archive))
                    if output.json {
                        JSONEnvelope.printResult(
                            JSONValue.object([
                                "gates": .array(
                                    result.gates.map {
                                        [
                                            "gate": .string($0.name.rawValue), "passed": .bool($0.passed),
                                            "detail": .string($0.detail),
                                        ]
                                    }),
                                "all_gates_pass": .bool(result.allGatesPass),
                                "statements": .array(result.statements.map(JSONValue.string)),
                                "executed": .bool(result.executed),
                                "retired_name": result.retiredName.map(JSONValue.string) ?? .null,
                                "purged": .object(result.purged.mapValues { .integer(Int64($0)) }),
                                "rollback_command": .string(result.rollbackCommand),
                                "exit_code": .integer(Int64(result.exitCode)),
                                "forced_past": .array(result.forcedPast.map(JSONValue.string)),
                                "unchanged_django": .string(result.unchangedDjango),
                            ]), exitCode: result.exitCode)
                    } else {
                        var lines = result.gates.map {
                            "  \($0.passed ? "pass" : "FAIL")  \($0.name.rawValue): \($0.detail)"
                        }
                        lines.insert(
                            result.allGatesPass ? "retire: every gate passes" : "retire: REFUSED — a gate failed", at: 0
                        )
                        if result.executed {
                            lines.append(
                                "retired: "
                                    + (result.retiredName.map { "the table is now \($0)" } ?? "the table was dropped"))
                            for (collection, count) in result.purged.sorted(by: { $0.key < $1.key }) {
                                lines.append("purged \(collection): \(count) documents")
                            }
                            lines.append("rollback: \(result.rollbackCommand)")
                            lines.append(Retirement.afterRollback)
                        } else {
                            if result.allGatesPass {
                                lines.append("dry run: with --confirm this runs, in one transaction:")
                                lines += result.statements.map { "  \($0);" }
                                lines.append("and the rollback would be: \(result.rollbackCommand)")
                            }
                            lines.append(result.unchangedDjango)
                        }
                        CommandRunner.printOut(lines.joined(separator: "\n") + "\n")
                    }
                    return result.exitCode
                }
            }
        }
    }
}

extension CutoverCommand.Retire: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        firestore.fillCredentials(from: configuration)
        output.fill(from: configuration)
        try source.fill(from: configuration)
        // The file's target is this command's --target, unless --firestore (its synonym) is given.
        if target == nil && firestore.firestore == nil { target = configuration.target }
        ledger.fill(from: configuration)
    }
}
