import BagIt
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Postgres
import Snapshots
import Tar

/// `cutover archive create`: a snapshot (and the reports beside it) as a BagIt bag in a
/// deterministic `.tar.gz` that `tar`, `sha256sum -c`, `psql` and `sqlite3` can open without this
/// tool, with everything needed to rebuild the snapshot file with identical content hashes.
public struct ArchiveWriter {
    public struct Options: Sendable {
        public var snapshotPath: String
        public var reportsDirectory: String?
        public var outputPath: String
        public var force = false

        public init(snapshotPath: String, outputPath: String) {
            self.snapshotPath = snapshotPath
            self.outputPath = outputPath
        }
    }

    public struct Result: Sendable {
        public let path: String
        /// SHA-256 of the archive file (also in `<path>.sha256`).
        public let sha256: String
        public let payloadFiles: Int
        public let payloadBytes: Int
        public let snapshotID: String
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// Where the queue's rows come from.
    enum Rows {
        /// Read back from the snapshot and compressed here (`archive create`).
        case fromSnapshot
        /// Compressed while the snapshot read them (`snapshot --archive`).
        case compressed(CompressedRowsPayload.Summary)
    }

    /// The queue's COPY text in the bag; its content starts its own gzip members in the archive.
    static let rowsPayload = "queue/rows.copy"

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        try Self.checkOutput(options.outputPath, force: options.force)
        let snapshot = try SnapshotFile(path: options.snapshotPath)
        let damaged = try snapshot.verifyContent()
        guard damaged.isEmpty else {
            throw CutoverError(
                .input, "\(options.snapshotPath) does not match its own manifest: " + damaged.joined(separator: "; "))
        }
        return try write(snapshot, rows: .fromSnapshot, progress: progress)
    }

    /// `snapshot --archive`: the snapshot this process has just written and closed, and its rows as
    /// compressed during the read. Its content is not hashed again: the manifest's digests were
    /// computed from the very bytes written, moments ago, by this process.
    func run(
        justWritten snapshotPath: String, rows: CompressedRowsPayload.Summary, progress: (String) -> Void
    ) throws -> Result {
        try Self.checkOutput(options.outputPath, force: options.force)
        return try write(SnapshotFile(path: snapshotPath), rows: .compressed(rows), progress: progress)
    }

    /// An existing archive is refused without `--force`.
    static func checkOutput(_ path: String, force: Bool) throws {
        if FileManager.default.fileExists(atPath: path) && !force {
            throw CutoverError(.output, "\(path) already exists", nextStep: "choose another --out, or add --force")
        }
    }

    private func write(_ snapshot: SnapshotFile, rows: Rows, progress: (String) -> Void) throws -> Result {
        let files = FileManager.default
        let manifest = snapshot.manifest
        let name = "cutover-archive-\(manifest.snapshotID)"
        // Beside the output, private: the bag is the whole register unmasked until it is packed.
        let staging = try StagingDirectory(for: options.outputPath)
        defer { staging.remove() }
        let bag = try BagBuilder(root: staging.file(name))

        progress("writing the queue table as COPY text")
        let description = try snapshot.describeQueue()
        try bag.addPayload("README.txt") { try $0(Self.readme(manifest: manifest, description: description)) }
        try bag.addPayload("queue/definition-\(description.engine.rawValue).sql") {
            try $0(description.definitionScript)
        }
        if let scripts = description.postgresScripts {
            try bag.addPayload("queue/table.sql") { try $0(scripts.table) }
            try bag.addPayload("queue/foreign-keys.sql") { try $0(scripts.foreignKeys) }
            let columns = description.columns.map { QueueTableName.quote($0.name) }.joined(separator: ", ")
            try bag.addPayload("queue/restore.sql") { write in
                try write(
                    """
                    -- Run from this directory: psql -v ON_ERROR_STOP=1 -d DATABASE -f restore.sql
                    BEGIN;
                    \\ir table.sql
                    \\copy \(description.name.quoted) (\(columns)) FROM 'rows.copy'
                    COMMIT;

                    """)
            }
        }
        if description.engine == .sqlite {
            try bag.addPayloadBytes("queue/restore-sqlite.sql") {
                try SQLiteRestoreScript.write(snapshot: snapshot, description: description, $0)
            }
        }
        var compressedRows: CompressedRowsPayload.Summary?
        switch rows {
        case .compressed(let summary):
            compressedRows = summary
            bag.addCompressedPayload(
                Self.rowsPayload, size: summary.size, sha256: summary.sha256, sha512: summary.sha512)
        case .fromSnapshot:
            try bag.addPayloadBytes(Self.rowsPayload) { write in
                var line: [UInt8] = []
                try snapshot.forEachRawRow("SELECT * FROM queue_rows ORDER BY rowid") { row in
                    line.removeAll(keepingCapacity: true)
                    QueueCopyText.append(row, to: &line)
                    try line.withUnsafeBytes(write)
                }
            }
        }

        progress("writing the snapshot's own tables as NDJSON")
        for (table, order) in Self.snapshotTables {
            try bag.addPayload("snapshot/\(table).ndjson") { write in
                var columns: [String] = []
                try snapshot.forEachRow("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid") {
                    columns.append($0[0] ?? "")
                }
                try snapshot.forEachRow("SELECT * FROM \(table) ORDER BY \(order)") { values in
                    try write(
                        JSONValue.object(Dictionary(uniqueKeysWithValues: zip(columns, values.map(JSONValue.init))))
                            .canonicalText + "\n")
                }
            }
        }
        try bag.addPayload("register/members.ndjson") { write in
            try snapshot.forEachRow("SELECT member_id, ssn, path_a, path_b FROM register_members ORDER BY member_id") {
                values in
                let object: JSONValue = [
                    "member_id": JSONValue(Int(values[0] ?? "")), "ssn": JSONValue(values[1]),
                    "path_a": (try? JSONValue(parsing: values[2] ?? "")) ?? .null,
                    "path_b": (try? JSONValue(parsing: values[3] ?? "")) ?? .null,
                ]
                try write(object.canonicalText + "\n")
            }
        }
        progress("writing the Firestore collections as NDJSON")
        for collection in SnapshotFormat.firestoreCollections {
            try bag.addPayload("firestore/\(collection).ndjson") { write in
                try snapshot.forEachRow(
                    "SELECT id, fields, create_time, update_time FROM firestore_documents WHERE collection = "
                        + "'\(collection)' ORDER BY id"
                ) { values in
                    var object: [String: JSONValue] = [
                        "path": .string(CollectionName(rawValue: collection).document(values[0] ?? "").description),
                        "fields": (try? JSONValue(parsing: values[1] ?? "{}")) ?? .object([:]),
                    ]
                    if let time = values[2] { object["createTime"] = .string(time) }
                    if let time = values[3] { object["updateTime"] = .string(time) }
                    try write(JSONValue.object(object).canonicalText + "\n")
                }
            }
        }
        if let reports = options.reportsDirectory {
            guard let listing = try? files.contentsOfDirectory(atPath: reports) else {
                throw CutoverError(
                    .input, "the reports directory \(reports) cannot be read",
                    nextStep: "give --reports a directory that exists")
            }
            for file in listing.sorted() where !file.hasPrefix(".") {
                guard let text = try? String(contentsOfFile: "\(reports)/\(file)", encoding: .utf8) else { continue }
                try bag.addPayload("reports/\(file)") { try $0(text) }
            }
        }

        let created = manifest.values["created_at"].flatMap(Timestamp.init(parsing:)) ?? Timestamp(seconds: 0)
        let tagFiles = try bag.finish(info: [
            ("Bag-Software-Agent", "cutover \(CutoverVersion.string)"),
            ("Bagging-Date", created.dateString),
            ("External-Identifier", manifest.snapshotID),
            (
                "External-Description",
                "Legacy member-sync queue \(manifest.values["queue_table"] ?? ""), its DDL, the member register and "
                    + "Firestore collections, from \(manifest.values["source_target"] ?? "")"
            ),
            ("Cutover-Snapshot-Format-Version", String(manifest.formatVersion)),
            // When the data was read: what `retire` measures the archive's freshness by.
            ("Cutover-Snapshot-Created", created.iso8601),
            // Which database and table the data came from: what `retire` ties the archive to.
            ("Cutover-Source-Identity", manifest.values["source_identity"] ?? ""),
        ])

        progress("packing \(options.outputPath)")
        // Renamed into place from the staging directory: the same file system, so the rename is atomic.
        let temporary = staging.file("packed.tar.gz")
        let writer = try TarWriter(path: temporary, modified: created.microseconds / 1_000_000)
        try writer.addDirectory(name)
        var directories: Set<String> = []
        for file in tagFiles {
            // Parent directories first, once each, so tar recreates them with fixed modes.
            var parents: [String] = []
            var parent = (file as NSString).deletingLastPathComponent
            while !parent.isEmpty {
                parents.insert(parent, at: 0); parent = (parent as NSString).deletingLastPathComponent
            }
            for directory in parents where directories.insert(directory).inserted {
                try writer.addDirectory("\(name)/\(directory)")
            }
            if file == "data/\(Self.rowsPayload)", let compressedRows {
                try writer.addCompressedFile(
                    "\(name)/\(file)", size: compressedRows.size, members: compressedRows.membersPath, mode: 0o600)
            } else {
                try writer.addFile(
                    "\(name)/\(file)", fromFile: staging.file("\(name)/\(file)"), mode: 0o600,
                    ownMembers: file == "data/\(Self.rowsPayload)")
            }
        }
        let digest = try writer.finish()
        try "\(digest)  \((options.outputPath as NSString).lastPathComponent)\n"
            .write(toFile: options.outputPath + ".sha256", atomically: true, encoding: .utf8)
        guard rename(temporary, options.outputPath) == 0 else {
            throw CutoverError(.output, "cannot rename \(temporary) to \(options.outputPath)")
        }
        Log.wrote(options.outputPath, by: Log.archive)
        Log.wrote(options.outputPath + ".sha256", by: Log.archive)
        return Result(
            path: options.outputPath, sha256: digest, payloadFiles: bag.payload.count,
            payloadBytes: bag.payload.reduce(0) { $0 + $1.size }, snapshotID: manifest.snapshotID)
    }

    /// The snapshot's own tables, with their key order, so `archive extract --as-snapshot` rebuilds them.
    static let snapshotTables: [(String, String)] = [
        ("snapshot_manifest", "key"), ("snapshot_tables", "name"), ("queue_columns", "ordinal"),
        ("queue_constraints", "name"), ("queue_indexes", "name"), ("queue_sequence", "name"),
        ("snapshot_problems", "row_id"),
    ]

    static func readme(manifest: SnapshotManifest, description: QueueTableDescription) -> String {
        """
        Cutover archive of snapshot \(manifest.snapshotID)
        Queue table \(description.name) from \(manifest.values["source_target"] ?? "") \
        (\(manifest.values["source_version"] ?? "")),
        read at \(manifest.values["source_read_at"] ?? "").

        Check it without cutover:   sha256sum -c manifest-sha256.txt   (in the bag's root)
        \(restoreSteps(manifest: manifest, description: description))
        rows.copy is PostgreSQL COPY text (tab-separated, \\N for NULL) in the table's column order.
        register/ and firestore/ hold one JSON document per line; firestore fields use Firestore's
        REST encoding. snapshot/ holds the snapshot's own tables, so the snapshot file can be rebuilt.

        """
    }

    /// How to rebuild the queue table with the source engine's own program, step by step.
    static func restoreSteps(manifest: SnapshotManifest, description: QueueTableDescription) -> String {
        guard description.engine == .sqlite else {
            return """
                Restore the queue table with psql alone (PostgreSQL sources):
                    cd data/queue && psql -v ON_ERROR_STOP=1 -d DATABASE -f restore.sql
                    psql -d DATABASE -f foreign-keys.sql    # only where membership_comrade exists
                """
        }
        let rows = manifest.table("queue_rows")?.rowCount ?? 0
        let table = QueueTableName.quote(description.name.table)
        return """
            Restore the queue table with sqlite3 alone (SQLite sources; DATABASE may be a new file):
                sqlite3 DATABASE < data/queue/restore-sqlite.sql    # from the bag's root
                sqlite3 DATABASE 'SELECT count(*) FROM \(table)'    # prints \(rows)
            restore-sqlite.sql is the table's DDL as SQLite stored it, then one INSERT per row, in one
            transaction; it stops at the first error and leaves DATABASE as it was.
            """
    }
}
