import ArgumentParser
import CutoverCore
import CutoverSupport
import LegacySync
import Snapshots

extension CutoverCommand {
    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the queue table, its DDL and the member register into one verifiable snapshot file.",
            discussion: """
                Reads everything in one read-only REPEATABLE READ transaction (PostgreSQL) or one read \
                transaction (SQLite), so the copy is consistent even while Django keeps writing. The queue \
                table is copied verbatim — every column, unknown extra columns too — with its columns, \
                constraints, indexes and sequence position; the member register is stored as Path A's member \
                endpoint and Path B's webhook serialise each member. A manifest inside the file records the \
                snapshot id, format version, tool version, source fingerprint, and per table a row count and a \
                SHA-256 content hash (see Snapshots/FORMAT.md). The file is written under a temporary name and \
                renamed only when complete.

                With --firestore (or FIRESTORE_EMULATOR_HOST) the Firestore collections members, sync_logs and \
                sync_queue are captured too, page by page, each document with its create and update time, \
                hashed per collection.

                With --archive A.tar.gz the same read also makes the archive that `archive create` would make of \
                the finished snapshot, byte for byte: the queue rows are compressed on the other core while they \
                are stored, so the table is read once. The archive is packed before the snapshot is renamed into \
                place; if either fails, neither is left.

                Rows that break the queue table's contract (NULL ssn, fields_changed not a JSON object, an \
                unknown action, …) stop the snapshot with exit code 4 and are listed; --allow-invalid keeps them \
                verbatim and lists them inside the snapshot instead.

                Examples:
                  cutover snapshot --source sqlite:legacy.sqlite --firestore embedded:legacy-firestore.sqlite
                  cutover snapshot --source postgresql://app@db:5432/register \\
                      --out Snapshots/before-cutover.sqlite
                  cutover snapshot --source postgresql://app@db:5432/register \\
                      --out Snapshots/before-cutover.sqlite --archive queue-archive.tar.gz
                """)

        @OptionGroup var source: SourceOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The snapshot file to write (default: Snapshots/snapshot-<UTC time>.sqlite).", valueName: "FILE"),
            completion: .file())
        var out: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Also write the archive of this snapshot (.tar.gz), from the same read.", valueName: "FILE"))
        var archive: String?

        @Flag(name: .long, help: "Replace the output file (and the --archive file) if it exists.")
        var force = false

        @Flag(
            name: .long, help: "Keep rows that break the table's contract (listed in the snapshot) instead of refusing."
        )
        var allowInvalid = false

        @Flag(name: .long, help: "Snapshot the queue table alone, without the member register.")
        var noRegister = false

        @Flag(name: .long, help: "Check the source and print what would be written; write nothing.")
        var dryRun = false

        @OptionGroup var firestore: FirestoreOptions

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                var options = SnapshotWriter.Options(outputPath: out ?? SnapshotWriter.defaultPath())
                options.table = try source.tableName()
                options.force = force
                options.allowInvalid = allowInvalid
                options.includeRegister = !noRegister
                options.archivePath = archive
                // An embedded store read from a mistyped path is not left behind when the snapshot fails.
                created.database(firestore.firestore)
                let database = try LegacyDatabaseOpener.open(source.url())
                let store = try firestore.open()
                if let store,
                    let problem = try await EmptyStoreCheck.problem(
                        database: database, table: options.table, store: store)
                {
                    Terminal.error("warning: \(problem)\n")
                }
                if dryRun {
                    let check = try SnapshotWriter(options: options).check(database)
                    let description = check.description
                    let register: JSONValue =
                        check.register.map { register in
                            .object([
                                "absent": .array(
                                    (register.absentTables + register.missingColumns).map(JSONValue.string))
                            ])
                        } ?? .null
                    CommandRunner.printResult(
                        json: output.json,
                        .object([
                            "dry_run": true, "table": .string("\(description.name)"),
                            "columns": .integer(Int64(description.columns.count)),
                            "indexes": .integer(Int64(description.indexes.count)), "register": register,
                            "invalid_rows_kept": .integer(Int64(check.problemCount)),
                            "source_target": .string(database.redactedTarget),
                            "firestore": store.map { .string($0.label) } ?? .null,
                            "path": .string(options.outputPath), "replacing": .bool(force),
                            "archive": archive.map(JSONValue.string) ?? .null,
                        ]),
                        text: """
                            would snapshot \(description.name) (\(description.columns.count) columns, \
                            \(description.indexes.count) indexes)\(check.registerText) from \(database.redactedTarget)
                            \(store.map { "and members, sync_logs, sync_queue from \($0.label)\n" } ?? "")\
                            into \(options.outputPath)\(force ? " (replacing it)" : "")\
                            \(archive.map { " and pack it into \($0)" } ?? "")

                            """)
                    return 0
                }
                let step = try ledger.begin(.snapshot, force: force, created: created)
                // A step that stops with an error is recorded as failed, with the exit code it ends with.
                return try await CommandRunner.recording(step) {
                    // The folder the snapshot goes in (Snapshots/ by default) is made here, so a snapshot that fails
                    // takes it away again.
                    try OutputPreflight.writableFile(options.outputPath, for: "--out", created: created)
                    if let archive {
                        // Renamed into place before the snapshot: if the snapshot's rename then fails, it goes too.
                        try OutputPreflight.writableFile(
                            archive, for: "--archive", created: created, whenFailed: .remove)
                        created.file(archive + ".sha256", whenFailed: .remove)
                    }
                    // Phases: the queue table, the register, each Firestore collection, then the archive's
                    // four (its rows, the snapshot's tables, the collections, packing).
                    output.progressPhases(
                        "snapshot",
                        total: 1 + (options.includeRegister ? 1 : 0)
                            + (store == nil ? 0 : SnapshotFormat.firestoreCollections.count)
                            + (archive == nil ? 0 : 4))
                    let counter = ProgressCounter("snapshot")
                    let result = try await SnapshotWriter(options: options).run(
                        from: database, firestore: store, progress: output.progress, counted: { counter($0) })
                    try step?.finish(
                        exitCode: 0, verdict: .written,
                        outputs: .init(snapshot: result.path, archive: result.archive?.path))
                    CommandRunner.printResult(json: output.json, result.json, text: result.text)
                    return 0
                }
            }
        }
    }
}

extension CutoverCommand.Snapshot: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        try source.fill(from: configuration)
        firestore.fill(from: configuration)
        ledger.fill(from: configuration)
    }
}
