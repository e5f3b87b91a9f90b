import CutoverSupport
import Deflate
import Firestore
import Foundation
import LegacySync
import Postgres
import SQLite
import Snapshots

/// `cutover snapshot`: one consistent read of the queue table (verbatim, with its DDL) and of the
/// member register (as each path serialises it) into one self-describing SQLite file.
///
/// The file is built under a temporary name and renamed only when complete, so an interrupted
/// snapshot never looks like a finished one.
public struct SnapshotWriter {
    public struct Options: Sendable {
        public var table = QueueTableName.defaultName
        public var outputPath: String
        public var force = false
        /// Keep rows that break the contract (verbatim, listed in `snapshot_problems`) instead of refusing.
        public var allowInvalid = false
        public var includeRegister = true
        /// `--archive`: also pack the snapshot into this archive, its queue rows compressed during the
        /// same read (what `archive create` would make of the finished snapshot, byte for byte).
        public var archivePath: String?

        public init(outputPath: String) { self.outputPath = outputPath }
    }

    public struct Result: Sendable {
        public let path: String
        public let manifest: SnapshotManifest
        public let problems: [RowProblem]
        public let problemCount: Int
        public let seconds: Double
        /// The archive `--archive` wrote.
        public let archive: ArchiveWriter.Result?
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// A default path under `Snapshots/`, named by the UTC time.
    public static func defaultPath(now: Date = Date()) -> String {
        let stamp = Timestamp(microseconds: Int64(now.timeIntervalSince1970) * 1_000_000).iso8601
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return "Snapshots/snapshot-\(stamp.dropLast()).sqlite"
    }

    /// Snapshots the legacy database and, when `firestore` is given, its Firestore collections.
    public func run(
        from database: any LegacyDatabase, firestore: (any DocumentStore)? = nil,
        progress: (String) -> Void = { _ in }, counted: (ProgressCount) -> Void = { _ in }
    ) async throws -> Result {
        let started = Date()
        let output = options.outputPath
        try checkOutput()
        if let archivePath = options.archivePath { try ArchiveWriter.checkOutput(archivePath, force: options.force) }
        // In a private staging directory beside the output (the file holds the register unmasked): a
        // signal removes it, and what a SIGKILLed run left is removed by the next.
        let staging = try StagingDirectory(for: output)
        defer { staging.remove() }
        let temporary = staging.file("snapshot.sqlite")
        // The rows' compressed form waits beside the archive's output until it is packed.
        let archiveStaging = try options.archivePath.map { try StagingDirectory(for: $0) }
        defer { archiveStaging?.remove() }
        let compressedRows = try archiveStaging.map { try CompressedRowsPayload(membersPath: $0.file("rows.members")) }

        let file: SQLiteDatabase
        do {
            file = try SQLiteDatabase(path: temporary, mode: .create)
            // Durability comes from write-then-rename, not from a journal.
            try file.execute(
                "PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                    + "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -8192")
            try file.execute(SnapshotFormat.fixedSchema)
        } catch let error as SQLiteError {
            throw CutoverError(.output, "cannot write \(temporary): \(error.message)")
        }

        // Outside the read: a refused system-identifier query must not abort the snapshot's transaction.
        let identity = try database.sourceIdentity(of: options.table)
        let readStarted = Timestamp.now
        var problems: [RowProblem] = []
        var problemCount = 0
        var digests: [SnapshotManifest.TableDigest] = []
        var description: QueueTableDescription!
        var register: RegisterSchema?
        let sourceSnapshot = try database.withConsistentRead { snapshotID -> String? in
            description = try database.describeQueueTable(options.table)
            let decoder = try QueueRowDecoder(description)
            if options.includeRegister { register = try Self.checkRegister(in: database, schema: options.table.schema) }
            try writeDescription(description, into: file)
            progress("copying queue table \(description.name)")
            // A total for the percentage, read inside the same transaction: an estimate on PostgreSQL.
            let total = database.cheapRowCount(of: options.table)
            func rowsCopied(_ rows: Int) {
                counted(ProgressCount(rows, of: total?.rows, estimated: total?.estimated ?? false, unit: "queue rows"))
            }
            rowsCopied(0)
            let queueDigest = try copyQueue(
                description, decoder, from: database, into: file, compressing: compressedRows,
                problem: { problem in
                    problemCount += 1
                    if problems.count < 1_000 { problems.append(problem) }
                },
                rowProgress: rowsCopied)
            digests.append(queueDigest)
            if problemCount > 0 && !options.allowInvalid { return nil }
            if options.includeRegister {
                progress("serialising the member register")
                digests.append(try copyRegister(from: database, schema: options.table.schema, into: file))
            }
            return snapshotID
        }
        if problemCount > 0 && !options.allowInvalid { throw Self.refusal(problems, count: problemCount) }

        var firestoreValues: [String: String] = [:]
        if let firestore {
            // After the database transaction: Firestore cannot join it. The cutover freezes writers
            // first; the read time below says when this view was taken.
            firestoreValues["firestore_source"] = firestore.label
            firestoreValues["firestore_read_at"] = Timestamp.now.iso8601
            firestoreValues["firestore_collections"] = SnapshotFormat.firestoreCollections.joined(separator: ",")
            digests += try await captureFirestore(firestore, into: file, progress: progress, counted: counted)
        }

        var manifestValues: [String: String] = [
            "format": SnapshotFormat.name,
            "format_version": String(SnapshotFormat.version),
            "snapshot_id": UUID().uuidString.lowercased(),
            "tool": "cutover",
            "tool_version": CutoverVersion.string,
            "created_at": Timestamp.now.iso8601,
            "source_engine": database.engine.rawValue,
            "source_version": database.engineVersion,
            "source_database": database.databaseName,
            "source_target": database.redactedTarget,
            "source_identity": identity.json.canonicalText,
            "source_transaction_snapshot": sourceSnapshot ?? "",
            "source_read_at": readStarted.iso8601,
            "queue_table": description.name.description,
            "queue_definition_script": description.definitionScript,
            "hash_encoding": RowHasher.encodingName,
            "invalid_rows": String(problemCount),
            "complete": "true",
        ]
        manifestValues.merge(firestoreValues) { _, new in new }
        if let register { manifestValues.merge(Self.manifestValues(register)) { _, new in new } }
        do {
            try file.withTransaction {
                for problem in problems {
                    try file.query(
                        "INSERT INTO snapshot_problems VALUES (?, ?, ?)",
                        [problem.rowID.map { .integer($0) } ?? .null, .text(problem.column), .text(problem.problem)])
                }
                for digest in digests {
                    let text =
                        SnapshotFormat.hashedTables.first { $0.name == digest.name }?.description
                        ?? "Firestore collection \(digest.name.dropFirst("firestore/".count)): id, fields (REST JSON), "
                        + "create and update time"
                    try file.query(
                        "INSERT INTO snapshot_tables VALUES (?, ?, ?, ?, ?)",
                        [
                            .text(digest.name), .integer(Int64(digest.rowCount)), .text(digest.sha256),
                            .text(RowHasher.encodingName), .text(text),
                        ])
                }
                for (key, value) in manifestValues.sorted(by: { $0.key < $1.key }) {
                    try file.query("INSERT INTO snapshot_manifest VALUES (?, ?)", [.text(key), .text(value)])
                }
            }
            file.close()
        } catch let error as SQLiteError {
            throw CutoverError(.output, "cannot write \(temporary): \(error.message)")
        }
        // On disk before it is renamed into place; the archive (which only reads it) is packed meanwhile.
        let flush = FileFlush(temporary)
        var archive: ArchiveWriter.Result?
        if let compressedRows, let archivePath = options.archivePath {
            var archiveOptions = ArchiveWriter.Options(snapshotPath: output, outputPath: archivePath)
            archiveOptions.force = options.force
            // Packed before the snapshot is renamed into place: a failed archive leaves no snapshot either.
            archive = try ArchiveWriter(options: archiveOptions).run(
                justWritten: temporary, rows: try compressedRows.finish(), progress: progress)
        }
        try flush.wait()
        guard rename(temporary, output) == 0 else {
            throw CutoverError(.output, "cannot rename \(temporary) to \(output): \(String(cString: strerror(errno)))")
        }
        Log.wrote(output, by: Log.snapshot)
        return Result(
            path: output, manifest: SnapshotManifest(values: manifestValues, tables: digests), problems: problems,
            problemCount: problemCount, seconds: Date().timeIntervalSince(started), archive: archive)
    }

    private func writeDescription(_ description: QueueTableDescription, into file: SQLiteDatabase) throws {
        try sqlite {
            for (ordinal, column) in description.columns.enumerated() {
                try file.query(
                    "INSERT INTO queue_columns VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        .integer(Int64(ordinal + 1)), .text(column.name), .text(column.type),
                        .integer(column.isNullable ? 1 : 0), SQLiteValue(column.defaultExpression),
                        SQLiteValue(column.identity),
                    ])
            }
            for constraint in description.constraints {
                try file.query(
                    "INSERT INTO queue_constraints VALUES (?, ?, ?)",
                    [.text(constraint.name), .text(constraint.kind), .text(constraint.definition)])
            }
            for index in description.indexes {
                try file.query("INSERT INTO queue_indexes VALUES (?, ?)", [.text(index.name), .text(index.definition)])
            }
            if let sequence = description.sequence {
                try file.query(
                    "INSERT INTO queue_sequence VALUES (?, ?, ?, ?)",
                    [
                        .text(sequence.name), .text(sequence.kind), .integer(sequence.lastValue),
                        .integer(sequence.isCalled ? 1 : 0),
                    ])
            }
            // The source's columns, verbatim, all as text: nothing is converted or lost.
            let columns = description.columns.map { "\(QueueTableName.quote($0.name)) TEXT" }.joined(separator: ", ")
            try file.execute("CREATE TABLE queue_rows (\(columns))")
        }
    }

    /// Reads the queue into `file`: this thread checks, hashes and formats each row as COPY text;
    /// the text goes in batches to a `QueueRowInserter` (SQLite, on a thread of its own) and, with
    /// `--archive`, to the compressor and the digests (more threads), so no consumer waits on another.
    private func copyQueue(
        _ description: QueueTableDescription, _ decoder: QueueRowDecoder, from database: any LegacyDatabase,
        into file: SQLiteDatabase, compressing archiveRows: CompressedRowsPayload?, problem: (RowProblem) -> Void,
        rowProgress: (Int) -> Void
    ) throws -> SnapshotManifest.TableDigest {
        let hasher = RowHasher()
        let placeholders = Array(repeating: "?", count: description.columns.count).joined(separator: ", ")
        try sqlite {
            try file.withTransaction {
                let inserter = QueueRowInserter(
                    statement: try file.prepare("INSERT INTO queue_rows VALUES (\(placeholders))"),
                    columns: description.columns.count)
                func newBatch() -> QueueRowBatch {
                    QueueRowBatch(columns: description.columns.count, reserving: Self.batchSize)
                }
                var batch = newBatch()
                func handOver() throws {
                    try inserter.insert(batch)
                    try archiveRows?.append(batch.text)
                    // A new buffer: the inserter's and the digests' queues still hold the old one.
                    batch = newBatch()
                }
                // Generic, so that PostgreSQL's rows are served without an existential call per field.
                func take<Row: RawRow>(_ row: Row) throws {
                    for field in 0..<row.fieldCount { row.withBytes(field) { hasher.addField($0) } }
                    hasher.endRow()
                    batch.append(row)
                    if batch.text.count >= Self.batchSize { try handOver() }
                    if let found = decoder.problem(in: row) { problem(found) }
                    if hasher.rowCount % 10_000 == 0 { rowProgress(hasher.rowCount) }
                }
                do {
                    try database.scanQueueRows(description) { row in
                        if let copy = row as? CopyTextRow { try take(copy) } else { try take(row) }
                    }
                    if !batch.isEmpty { try handOver() }
                } catch {
                    // The inserter's own failure (a full disk) says more than the read it stopped.
                    _ = try inserter.finish()
                    throw error
                }
                let inserted = try inserter.finish()
                guard inserted == hasher.rowCount else {
                    throw CutoverError(
                        .internalFailure, "read \(hasher.rowCount) queue rows but inserted \(inserted)")
                }
            }
        }
        return .init(name: "queue_rows", rowCount: hasher.rowCount, sha256: hasher.finalize())
    }

    /// 1 MiB of COPY text per hand-over: one compressor chunk's worth. The inserter and the digests
    /// each hold up to four, mostly the same ones, so the batches in flight stay under ~10 MiB.
    private static let batchSize = ChunkedGzipCompressor.defaultChunkSize

    private func copyRegister(
        from database: any LegacyDatabase, schema: String, into file: SQLiteDatabase
    ) throws
        -> SnapshotManifest.TableDigest
    {
        let hasher = RowHasher()
        try sqlite {
            try file.withTransaction {
                let insert = try file.prepare("INSERT INTO register_members VALUES (?, ?, ?, ?)")
                try RegisterReader(database: database, schema: schema).scan { member in
                    let values = [
                        String(member.id), member.ssn, member.pathAMemberJSON.canonicalText,
                        member.pathBDataJSON.canonicalText,
                    ]
                    hasher.addRow(values)
                    try insert.run([.integer(member.id), .text(values[1]), .text(values[2]), .text(values[3])])
                }
            }
        }
        return .init(name: "register_members", rowCount: hasher.rowCount, sha256: hasher.finalize())
    }

    @discardableResult
    private func sqlite<T>(_ body: () throws -> T) throws -> T {
        try CutoverError.onSQLiteFailure(.output, "cannot write the snapshot", body)
    }
}
