import ArgumentParser
import CutoverCore
import Foundation

extension CutoverCommand {
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the queue table back from a snapshot file: the rollback, and its rehearsal.",
            discussion: """
                From --archive the archive is verified and its snapshot rebuilt first. Checks the snapshot \
                against its own manifest first (nothing is restored from a damaged file), \\
                recreates the table from the captured DDL when it is absent (foreign keys left out: the target \\
                may not hold the member register), refuses a non-empty table unless --replace (then it is dropped \\
                and reloaded in one transaction), loads the rows, sets the sequence, and checks the restored \\
                rows' count and content hash against the manifest. --schema restores beside the original, in a \\
                scratch schema: the rehearsal retirement asks for.

                Examples:
                  cutover restore --snapshot Snapshots/before-cutover.sqlite --into postgresql://app@db/register \\\\
                      --schema cutover_rehearsal
                  cutover restore --snapshot Snapshots/before-cutover.sqlite --into postgresql://app@db/register --replace
                """)

        @Option(help: ArgumentHelp("The snapshot file to restore from.", valueName: "FILE"))
        var snapshot: String?

        @Option(help: ArgumentHelp("The archive to restore from (verified first).", valueName: "FILE"))
        var archive: String?

        @Option(help: ArgumentHelp("The database: sqlite:PATH, postgresql://…, or a conninfo string.", valueName: "URL"))
        var into: String

        @Option(help: ArgumentHelp("Restore under this schema instead of the original one.", valueName: "SCHEMA"))
        var schema: String?

        @Flag(help: "Replace a non-empty table (drop and reload in one transaction).")
        var replace = false

        @Option(help: ArgumentHelp("Where to write restore.json, the record `retire` reads as its rehearsal gate.", valueName: "DIR"))
        var out = "cutover-out/restore"

        @OptionGroup var firestore: FirestoreOptions

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var forcing: ForceOption

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run(masker: output.masker) {
                guard (snapshot == nil) != (archive == nil) else {
                    throw ValidationError("give exactly one of --snapshot FILE and --archive FILE")
                }
                // Only a rehearsal (into a scratch schema) waits for its prerequisites: a rollback never does.
                let step = try ledger.begin(.restore, force: forcing.force, gated: schema != nil)
                var options = Restorer.Options(snapshotPath: snapshot ?? "")
                options.schema = schema
                options.replace = replace
                let database = try LegacyDatabaseOpener.open(into, create: into.hasPrefix("sqlite:"))
                let result = try archive.map { try Restorer.fromArchive($0, options: options, into: database, progress: output.progress) }
                    ?? Restorer(options: options).run(into: database, progress: output.progress)
                let record = try RestoreRecord(restored: result, archive: archive).write(into: out)
                try step?.finish(exitCode: 0, verdict: schema == nil ? "restored" : "rehearsed",
                                 outputs: ["record": record].merging(archive.map { ["archive": $0] } ?? [:]) { first, _ in first })
                var documents: FirestoreRestorer.Result?
                if let store = try firestore.open() {
                    // From an archive, rebuild its snapshot once more for the documents (it was checked above).
                    let temporary = NSTemporaryDirectory() + "cutover-restore-fs-\(getpid()).sqlite"
                    defer { try? FileManager.default.removeItem(atPath: temporary) }
                    let source = try archive.map { try ArchiveExtractor(archivePath: $0).rebuildSnapshot(at: temporary, force: true) }
                        ?? SnapshotFile(path: snapshot!)
                    documents = try await FirestoreRestorer(snapshot: source, replace: replace).run(into: store, progress: output.progress)
                }
                CommandRunner.printOut(output.json
                    ? JSONValue.object([
                        "table": .string(result.table.description), "target": .string(result.target),
                        "rows": .integer(Int64(result.rows)), "sha256": .string(result.sha256),
                        "sequence_value": result.sequenceValue.map { .integer($0) } ?? .null, "matches_snapshot": true,
                        "firestore_written": documents.map { .object($0.written.mapValues { .integer(Int64($0)) }) } ?? .null,
                    ]).prettyText
                    : "Restored \(result.rows) rows into \(result.table) in \(result.target)\n"
                        + "  content hash matches the snapshot: sha256 \(result.sha256)\n"
                        + (documents.map { "  Firestore: " + $0.written.keys.sorted().map { "\($0) \(documents!.written[$0]!)" }
                            .joined(separator: ", ") + " documents written\n" } ?? ""))
                return 0
            }
        }
    }
}
