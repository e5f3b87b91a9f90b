import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Postgres

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

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let files = FileManager.default
        if files.fileExists(atPath: options.outputPath) && !options.force {
            throw CutoverError(
                .output, "\(options.outputPath) already exists", nextStep: "choose another --out, or add --force")
        }
        let snapshot = try SnapshotFile(path: options.snapshotPath)
        let damaged = try snapshot.verifyContent()
        guard damaged.isEmpty else {
            throw CutoverError(
                .input, "\(options.snapshotPath) does not match its own manifest: " + damaged.joined(separator: "; "))
        }
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
        try bag.addPayloadBytes("queue/rows.copy") { write in
            var line: [UInt8] = []
            try snapshot.forEachRawRow("SELECT * FROM queue_rows ORDER BY rowid") { row in
                line.removeAll(keepingCapacity: true)
                for field in 0..<row.fieldCount {
                    if field > 0 { line.append(9) }
                    row.withBytes(field) { bytes in
                        guard let bytes else { return line.append(contentsOf: [92, 78]) }  // \N
                        PostgresCopyWriter.appendEscaped(bytes.assumingMemoryBound(to: UInt8.self), to: &line)
                    }
                }
                line.append(10)
                try line.withUnsafeBytes(write)
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
            try writer.addFile("\(name)/\(file)", fromFile: staging.file("\(name)/\(file)"), mode: 0o600)
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
        Restore the queue table with psql alone (PostgreSQL sources):
            cd data/queue && psql -v ON_ERROR_STOP=1 -d DATABASE -f restore.sql
            psql -d DATABASE -f foreign-keys.sql    # only where membership_comrade exists
        rows.copy is PostgreSQL COPY text (tab-separated, \\N for NULL) in the table's column order.
        register/ and firestore/ hold one JSON document per line; firestore fields use Firestore's
        REST encoding. snapshot/ holds the snapshot's own tables, so the snapshot file can be rebuilt.

        """
    }
}
