import ArgumentParser
import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import Snapshots

extension CutoverCommand {
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the queue table back from a snapshot file: the rollback, and its rehearsal.",
            discussion: """
                From --archive the archive is verified and its snapshot rebuilt first. Checks every table of the \
                snapshot (queue, register, Firestore collections) against its own manifest first (nothing is \
                restored from a damaged file: exit 7, naming the table), \
                recreates the table from the captured DDL when it is absent (its foreign keys only into the original \
                place, where membership_comrade exists; elsewhere each is listed as skipped, with the archive's \
                data/queue/foreign-keys.sql that adds it later), refuses a non-empty table unless --replace (then it \
                is dropped \
                and reloaded in one transaction), loads the rows, sets the sequence, and checks the restored \
                rows' count and content hash against the manifest. The output lists every constraint, index and \
                sequence, restored or skipped. --schema restores beside the original, in a \
                scratch schema: the rehearsal retirement asks for. --dry-run does all of that inside the \
                transaction and rolls it back: proof that the restore would succeed, with nothing changed (no \
                ledger entry, no restore.json; with --firestore the documents are counted, not written).

                Into the original place (no --schema, a database holding the member register) the snapshot must \
                come from that database and table (PostgreSQL system identifier and database, SQLite file): \
                another one is refused, naming both, unless --force (printed, and recorded in the ledger).

                A restore holds the place it restores into for its whole run: a drain, retire or nightly run \
                there meanwhile is refused, and one already running refuses the restore (exit 9, naming its \
                process, host and start time). --dry-run takes no lock.

                Examples:
                  cutover restore --snapshot Snapshots/before-cutover.sqlite --into postgresql://app@db/register \\
                      --schema cutover_rehearsal
                  cutover restore --snapshot Snapshots/before-cutover.sqlite --into postgresql://app@db/register \\
                      --replace
                  cutover restore --archive queue-archive.tar.gz --into postgresql://app@db/register --replace --dry-run
                """)

        @Option(help: ArgumentHelp("The snapshot file to restore from.", valueName: "FILE"), completion: .file())
        var snapshot: String?

        @Option(
            help: ArgumentHelp("The archive to restore from (verified first).", valueName: "FILE"), completion: .file())
        var archive: String?

        @Option(
            help: ArgumentHelp("The database: sqlite:PATH, postgresql://…, or a conninfo string.", valueName: "URL"))
        var into: String

        @Option(help: ArgumentHelp("Restore under this schema instead of the original one.", valueName: "SCHEMA"))
        var schema: String?

        @Flag(help: "Replace a non-empty table (drop and reload in one transaction).")
        var replace = false

        @Flag(help: "Restore and check, then roll back: nothing changes.")
        var dryRun = false

        @Option(
            help: ArgumentHelp(
                "Where to write restore.json, the record `retire` reads as its rehearsal gate.", valueName: "DIR"),
            completion: .directory)
        var out = "cutover-out/restore"

        @OptionGroup var firestore: FirestoreOptions

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var forcing: ForceOption

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (snapshot == nil) != (archive == nil) else {
                throw ValidationError("give exactly one of --snapshot FILE and --archive FILE")
            }
            // A blank schema would restore into a schema named by spaces, or (SQLite) quietly into the original.
            if let schema, schema.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--schema needs a name, e.g. --schema cutover_rehearsal")
            }
        }

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                // Only a rehearsal (into a scratch schema) waits for its prerequisites: a rollback never does. The
                // two are different states: a rollback is not the rehearsal retire asks for, and it undoes a
                // retirement.
                let step =
                    dryRun
                    ? nil
                    : try ledger.begin(
                        schema == nil ? .rollback : .restore, force: forcing.force, gated: schema != nil,
                        created: created)
                // A step that stops with an error is recorded as failed, with the exit code it ends with.
                return try await CommandRunner.recording(step) {
                    // Checked before the database is touched; a new SQLite file a failed restore made is removed again.
                    if let snapshot { try OutputPreflight.readableFile(snapshot, for: "--snapshot") }
                    if let archive { try OutputPreflight.readableFile(archive, for: "--archive") }
                    if dryRun {
                        created.database(firestore.firestore)
                    } else {
                        try OutputPreflight.writableDirectory(out, for: "--out", created: created)
                        try OutputPreflight.writableDatabase(into, for: "--into", created: created)
                        try OutputPreflight.writableDatabase(firestore.firestore, for: "--firestore", created: created)
                    }
                    // An archive is verified and its snapshot rebuilt once: the table and the documents both come
                    // from it.
                    // How many phases depends on the archive, the keys and the store: numbered, not counted.
                    output.progressPhases("restore", total: nil)
                    let rebuilt = try archive.map { try RebuiltSnapshot(archive: $0, progress: output.progress) }
                    defer { withExtendedLifetime(rebuilt) {} }
                    var options = Restorer.Options(snapshotPath: rebuilt?.path ?? snapshot ?? "")
                    options.schema = schema
                    options.replace = replace
                    options.dryRun = dryRun
                    options.force = forcing.force
                    let scratch = try DryRunDatabase(into: into, dryRun: dryRun)
                    defer { scratch.remove() }
                    let database = try LegacyDatabaseOpener.open(scratch.url, create: scratch.url.hasPrefix("sqlite:"))
                    let result = try Restorer(options: options).run(into: database, progress: output.progress)
                    if !dryRun {
                        let record = try RestoreRecord(restored: result, archive: archive).write(into: out)
                        try step?.finish(
                            exitCode: 0, verdict: schema == nil ? .restored : .rehearsed, forcedPast: result.forcedPast,
                            outputs: .init(archive: archive, restoreRecord: record))
                    }
                    var documents: FirestoreRestorer.Result?
                    if let store = try firestore.open() {
                        let restorer = FirestoreRestorer(
                            snapshot: try SnapshotFile(path: options.snapshotPath), replace: replace)
                        documents =
                            try await dryRun
                            ? restorer.plan(for: store) : restorer.run(into: store, progress: output.progress)
                    }
                    let target =
                        scratch.isTemporary ? "\(into) (a new file: rehearsed in a temporary one)" : result.target
                    func counts(_ pick: (FirestoreRestorer.Result) -> [String: Int]) -> JSONValue {
                        documents.map { .object(pick($0).mapValues { .integer(Int64($0)) }) } ?? .null
                    }
                    CommandRunner.printResult(
                        json: output.json,
                        JSONValue.object([
                            "table": .string(result.table.description), "target": .string(target),
                            "rows": .integer(Int64(result.rows)), "sha256": .string(result.sha256),
                            "sequence_value": result.sequenceValue.map { .integer($0) } ?? .null,
                            "matches_snapshot": true,
                            "dry_run": .bool(dryRun),
                            "forced_past": .array(result.forcedPast.map(JSONValue.string)),
                            "objects": .array(
                                result.objects.map { object in
                                    [
                                        "kind": .string(object.kind.rawValue), "name": .string(object.name),
                                        "restored": .bool(object.skipped == nil),
                                        "skipped_because": object.skipped.map(JSONValue.string) ?? .null,
                                    ]
                                }),
                            (dryRun ? "firestore_would_write" : "firestore_written"): counts(\.written),
                            (dryRun ? "firestore_would_delete" : "firestore_deleted"): counts(\.deleted),
                        ]),
                        text: (dryRun
                            ? "Dry run: restored \(result.rows) rows into \(result.table) in \(target), then "
                                + "rolled back; nothing changed\n"
                            : "Restored \(result.rows) rows into \(result.table) in \(target)\n")
                            + "  content hash matches the snapshot: sha256 \(result.sha256)\n"
                            + result.forcedPast.map { "  FORCED past: \($0)\n" }.joined()
                            + result.objects.map { "  \($0.line)\n" }.joined()
                            + (documents.map { Self.firestoreLine($0, dryRun: dryRun) } ?? ""))
                    return 0
                }
            }
        }

        static func firestoreLine(_ documents: FirestoreRestorer.Result, dryRun: Bool) -> String {
            func list(_ counts: [String: Int]) -> String {
                counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
            }
            let deleted =
                documents.deleted.isEmpty
                ? "" : "; \(list(documents.deleted)) \(dryRun ? "would be" : "were") deleted first"
            return
                "  Firestore: \(list(documents.written)) documents "
                + "\(dryRun ? "would be written" : "written")\(deleted)\n"
        }
    }
}

extension CutoverCommand.Restore: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        // Only the credential: a store to write documents into is never taken from the file.
        firestore.fillCredentials(from: configuration)
        output.fill(from: configuration)
        ledger.fill(from: configuration)
    }
}
