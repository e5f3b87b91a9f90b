import ArgumentParser
import CutoverCore
import CutoverSupport
import Firestore
import LegacySync

extension CutoverCommand.Demo {
    struct NightlyRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nightly-run",
            abstract: "Run Path A's nightly bidirectional_sync (the executable model) against a database and store.",
            discussion: """
                What the retired scheduled function did, defects included (LEGACY.md §4): portal edits from \
                sync_queue into Django (100 at most, snake_case only), then the pending queue rows created after \
                the last successful run into Firestore, the rows marked synced, a run record in sync_logs. After a \
                rollback it shows the old path working again. It writes to both sides: use it on demo data or a \
                rehearsal copy. --dry-run reads both sides and writes neither: the run sees its own writes in \
                memory, portal edits are checked rather than applied, no row is marked synced — what tonight's \
                run would do. A run that writes holds the queue as a drain does: with a drain, restore or retire \
                on it, it exits 9 naming that run.

                Example:
                  cutover demo nightly-run --source sqlite:legacy.sqlite --firestore embedded:legacy-firestore.sqlite
                """)

        @OptionGroup var source: SourceOptions

        @OptionGroup var firestore: FirestoreOptions

        @Flag(help: "Run against both sides without writing to either; print what the run would do.")
        var dryRun = false

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                created.database(firestore.firestore)
                guard let target = try firestore.open() else {
                    throw ValidationError("name the store with --firestore STORE")
                }
                let store: any DocumentStore = dryRun ? OverlayDocumentStore(over: target) : target
                let database = try LegacyDatabaseOpener.open(source.url())
                // The nightly run marks queue rows as a drain does: one run at a time (a dry run writes nothing).
                let django = try LegacyDatabaseDjango(
                    database: database, table: try source.tableName(), dryRun: dryRun,
                    holdingRunLockFor: dryRun ? nil : "nightly-run")
                output.progressPhases("nightly run", total: PathANightlyRun.phaseCount)
                let counter = ProgressCounter("nightly run")
                let report = try await PathANightlyRun(store: store, django: django).run(
                    progress: output.progress, counted: { counter($0) })
                await django.releaseRunLock()
                let failed = report.djangoToFirestoreFailed
                CommandRunner.printResult(
                    json: output.json,
                    JSONValue.object([
                        "dry_run": .bool(dryRun), "since": .string(report.since.iso8601),
                        "rows_fetched": .integer(Int64(report.rowOutcomes.count)),
                        "succeeded": .integer(Int64(report.djangoToFirestoreSuccess)),
                        "failed": .integer(Int64(failed)),
                        "marked_synced": .integer(Int64(report.markedSynced)),
                        "portal_edits_applied": .integer(Int64(report.reverseApplied)),
                        "portal_edits_failed": .integer(Int64(report.reverseFailed)),
                    ]),
                    text: "nightly run\(dryRun ? " (dry run, nothing written)" : ""): since \(report.since.iso8601); "
                        + "\(report.rowOutcomes.count) rows fetched, "
                        + "\(report.djangoToFirestoreSuccess) succeeded, \(failed) failed (left pending), "
                        + "\(report.markedSynced) marked synced; "
                        + "portal edits \(report.reverseApplied) applied, \(report.reverseFailed) failed\n")
                return 0
            }
        }
    }
}

extension CutoverCommand.Demo.NightlyRun: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        try source.fill(from: configuration)
        firestore.fill(from: configuration)
    }
}
