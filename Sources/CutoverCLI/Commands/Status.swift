import ArgumentParser
import CutoverCore
import CutoverLedger
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Snapshots

extension CutoverCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The legacy queue at a glance, from a live database or a snapshot file.",
            discussion: """
                Counts rows by status and action; splits pending rows into fresh (created after the last \
                successful nightly run, so the next run would fetch them) and stranded (created at or before \
                it: the nightly run never fetches them again) — the last run comes from --last-run, else from \
                Firestore sync_logs (--firestore, or the sync_logs a snapshot captured); lists failed rows by retry \
                count, orphan deletes, \
                updates whose every field Path A dropped, 9999 placeholder rows and kennitölur failing their \
                check digit. Rows that break the table's contract are listed by id and column, and make the \
                exit code 4. A snapshot file is checked against its manifest first, every table: one changed \
                since it was written is refused (exit 7, naming the table).

                Examples:
                  cutover status --source sqlite:legacy.sqlite \\
                      --last-run 2025-11-24T03:30:07.412Z
                  cutover status --source postgresql://app@db:5432/register --json
                  cutover status --source Snapshots/snapshot-20251125.sqlite
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A live database (sqlite:PATH, postgresql://…, conninfo) or a snapshot file path. Not needed when "
                    + "PGSERVICE, "
                    + "PGHOST, PGHOSTADDR or PGDATABASE name the database, as for psql.", valueName: "URL|FILE"))
        var source: String?

        // Optional, with the default in the help, so that the configuration file can name the table.
        @Option(
            name: .long,
            help: ArgumentHelp(
                "The queue table (live sources only). (default: \(QueueTableName.defaultName))", valueName: "NAME"))
        var table: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "completed_at of the last successful nightly run (RFC 3339), to split pending rows into fresh and "
                    + "stranded.",
                valueName: "TIME"))
        var lastRun: Timestamp?

        @OptionGroup var firestore: FirestoreOptions

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        var queueTable: String { table ?? QueueTableName.defaultName.description }

        func run() async throws {
            try await CommandRunner.run(masker: output.masker) {
                let now = Timestamp.now
                // Under --json the ledger's checklist (`steps`) goes into the one result with the queue's counts.
                var result: [String: JSONValue] = [:]
                if let path = ledger.ledger {
                    let checklist = try Ledger(path: path).checklist(now: now, maxAgeHours: ledger.maxStepAgeHours)
                    if output.json {
                        result = LedgerChecklist.json(checklist, now: now).objectValue ?? [:]
                    } else {
                        CommandRunner.printOut(LedgerChecklist.text(checklist, now: now, path: path))
                    }
                }
                guard let source else {  // fill(from:) asked for a source or --ledger
                    if output.json { JSONEnvelope.printResult(.object(result), exitCode: 0) }
                    return 0
                }
                if let path = ledger.ledger, let recorded = try? Ledger(path: path),
                    try recorded.latest(.retire)?.verdict == .retired,
                    try !recorded.retirementRolledBack(),
                    let live = try? LegacyDatabaseOpener.open(source),
                    let name = try? QueueTableName(parsing: queueTable),
                    try !live.tableExists(schema: name.schema, table: name.table)
                {
                    result["retired"] = true
                    result["queue_table"] = .string(name.description)
                    CommandRunner.printResult(
                        json: output.json, .object(result),
                        text: "The queue table \(name) is retired (see the ledger); nothing to count.\n")
                    return 0
                }
                var options = QueueStatusCollector.Options(asOf: now)
                if let lastRun {
                    options.lastRun = lastRun
                    options.lastRunOrigin = "--last-run"
                }
                let queueSource = try QueueSourceOpener.open(source, table: try QueueTableName(parsing: queueTable))
                // A snapshot is the queue as it was when read: ages and "as of" count from then, not from today.
                if let snapshot = queueSource as? SnapshotFile,
                    let read = snapshot.manifest.values["created_at"].flatMap(Timestamp.init(parsing:))
                {
                    options.asOf = read
                }
                if options.lastRun == nil, let snapshot = queueSource as? SnapshotFile,
                    let time = LastSuccessfulRun.find(
                        in: try snapshot.firestoreDocuments(CollectionName.syncLogs.rawValue))
                {
                    options.lastRun = time
                    options.lastRunOrigin = "\(CollectionName.syncLogs) captured in the snapshot"
                }
                let store = try firestore.open()
                if let store, let live = queueSource as? LiveQueueSource,
                    let problem = try await EmptyStoreCheck.problem(
                        database: live.database, table: live.table, store: store)
                {
                    Terminal.error("warning: \(problem)\n")
                }
                if options.lastRun == nil, let store {
                    output.progress("reading the last successful run from \(store.label)")
                    if let time = try await LastSuccessfulRun.find(in: store) {
                        options.lastRun = time
                        options.lastRunOrigin = "\(CollectionName.syncLogs) in \(store.label)"
                    }
                }
                output.progress("reading the queue from \(queueSource.label)")
                let status = try QueueStatusCollector(options: options).collect(from: queueSource)
                CommandRunner.printResult(
                    json: output.json,
                    .object(
                        result.merging(status.json(masker: output.masker).objectValue ?? [:]) { _, queue in queue }),
                    text: status.text(masker: output.masker), exitCode: status.exitCode)
                return status.exitCode
            }
        }
    }
}

extension CutoverCommand.Status: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        // `--source`, the file's, else `postgresql://` when libpq's environment names a database.
        source = source ?? configuration.source ?? LibpqEnvironment.source(in: ProcessInfo.processInfo.environment)
        table = table ?? configuration.table
        firestore.fill(from: configuration)
        ledger.fill(from: configuration)
        // Checked here, not in validate(): the configuration file may name either.
        guard source != nil || ledger.ledger != nil else {
            throw ValidationError(
                "give --source (a database or snapshot), or --ledger FILE, or name the database with PGSERVICE, "
                    + "PGHOST, PGHOSTADDR or PGDATABASE")
        }
    }
}
