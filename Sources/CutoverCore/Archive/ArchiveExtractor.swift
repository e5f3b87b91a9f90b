import BagIt
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Postgres
import SQLite
import Snapshots

/// `cutover archive extract --as-snapshot`: the snapshot file rebuilt from the bag's files (extracted by
/// `BagExtractor` after verification) with identical content hashes.
public struct ArchiveExtractor {
    public let archivePath: String

    public init(archivePath: String) { self.archivePath = archivePath }

    /// The phases `rebuildSnapshot` names: extraction's, rebuilding the tables, checking their hashes.
    public static let rebuildPhaseCount = BagExtractor.phaseCount + 2

    /// Verifies, extracts to a temporary directory, and rebuilds the snapshot file at `output`; its
    /// content hashes are checked against its own (archived) manifest before it is renamed into place.
    /// `progress` names each phase; `counted` counts bytes of the archive, then of the bag's files, read.
    public func rebuildSnapshot(
        at output: String, force: Bool = false, progress: (String) -> Void = { _ in },
        counted: (ProgressCount) -> Void = { _ in }
    ) throws -> SnapshotFile {
        let files = FileManager.default
        if files.fileExists(atPath: output) && !force {
            throw CutoverError(.output, "\(output) already exists", nextStep: "choose another path, or add --force")
        }
        // Beside the output, private: the extracted bag and the file being rebuilt hold the register unmasked.
        let staging = try StagingDirectory(for: output)
        defer { staging.remove() }
        let bag =
            try BagExtractor(archivePath: archivePath).extract(
                to: staging.file("bag"), progress: progress, counted: counted) + "/data"
        let temporary = staging.file("snapshot.sqlite")
        // The bag's files are read once each: their sizes, already on disk, are the phase's exact total.
        let payload =
            ArchiveWriter.snapshotTables.map { "snapshot/\($0.0).ndjson" }
            + ["queue/rows.copy", "register/members.ndjson"]
            + SnapshotFormat.firestoreCollections.map { "firestore/\($0).ndjson" }
        let payloadBytes = payload.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: "\(bag)/\(file)")[.size] as? Int) ?? 0)
        }
        var payloadRead = 0
        func forEachLine(_ path: String, _ body: (String) throws -> Void) throws {
            try readLines(path, body) { bytes in
                payloadRead += bytes
                counted(ProgressCount(payloadRead, of: payloadBytes, unit: ProgressCount.bytes))
            }
        }
        progress("rebuilding the snapshot's tables from the bag")
        counted(ProgressCount(0, of: payloadBytes, unit: ProgressCount.bytes))
        do {
            let file = try SQLiteDatabase(path: temporary, mode: .create)
            try file.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            try file.execute(SnapshotFormat.fixedSchema)
            try file.withTransaction {
                for (table, _) in ArchiveWriter.snapshotTables {
                    try forEachLine("\(bag)/snapshot/\(table).ndjson") { line in
                        guard case .object(let row) = try JSONValue(parsing: line) else { return }
                        let columns = row.keys.sorted()
                        try file.query(
                            "INSERT INTO \(table) (\(columns.map(QueueTableName.quote).joined(separator: ", "))) "
                                + "VALUES "
                                + "(\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))",
                            columns.map {
                                SQLiteValue(row[$0]!.stringValue ?? (row[$0] == .null ? nil : row[$0]!.canonicalText))
                            })
                    }
                }
                let columns = try file.query("SELECT name FROM queue_columns ORDER BY ordinal").map {
                    $0[0].textValue ?? ""
                }
                try file.execute(
                    "CREATE TABLE queue_rows "
                        + "(\(columns.map { "\(QueueTableName.quote($0)) TEXT" }.joined(separator: ", ")))"
                )
                let insert = try file.prepare(
                    "INSERT INTO queue_rows VALUES "
                        + "(\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
                )
                let row = CopyTextRow()
                try forEachLine("\(bag)/queue/rows.copy") { line in
                    var bytes = Array(line.utf8)
                    bytes.append(10)
                    try bytes.withUnsafeBytes { raw in
                        try row.parse(raw)
                        insert.reset()
                        for field in 0..<row.count {
                            try row.withBytes(field) { try insert.bindText($0, at: field + 1) }
                        }
                        try insert.step()
                    }
                }
                let members = try file.prepare("INSERT INTO register_members VALUES (?, ?, ?, ?)")
                try forEachLine("\(bag)/register/members.ndjson") { line in
                    let member = try JSONValue(parsing: line)
                    guard case .integer(let id)? = member["member_id"] else { return }
                    try members.run([
                        .integer(id), SQLiteValue(member["ssn"]?.stringValue),
                        .text(member["path_a"]?.canonicalText ?? "null"),
                        .text(member["path_b"]?.canonicalText ?? "null"),
                    ])
                }
                let documents = try file.prepare("INSERT INTO firestore_documents VALUES (?, ?, ?, ?, ?)")
                for collection in SnapshotFormat.firestoreCollections {
                    try forEachLine("\(bag)/firestore/\(collection).ndjson") { line in
                        let document = try JSONValue(parsing: line)
                        let path = document["path"]?.stringValue ?? ""
                        try documents.run([
                            .text(collection), .text(DocumentPath.id(of: path)),
                            .text(document["fields"]?.canonicalText ?? "{}"),
                            SQLiteValue(document["createTime"]?.stringValue),
                            SQLiteValue(document["updateTime"]?.stringValue),
                        ])
                    }
                }
            }
            file.close()
        } catch let error as SQLiteError {
            throw CutoverError(.output, "cannot rebuild the snapshot: \(error.description)")
        } catch let error as JSONValue.ParseError {
            throw CutoverError(.input, "\(archivePath): a payload line is not JSON (\(error))")
        }
        progress("checking the rebuilt snapshot's content hashes against its manifest")
        let rebuilt = try SnapshotFile(path: temporary)
        let mismatches = try rebuilt.verifyContent()
        guard mismatches.isEmpty else {
            throw CutoverError(
                .invalidData, "the rebuilt snapshot does not match its manifest: " + mismatches.joined(separator: "; "))
        }
        guard rename(temporary, output) == 0 else {
            throw CutoverError(.output, "cannot rename \(temporary) to \(output)")
        }
        Log.wrote(output, by: Log.archive)
        return try SnapshotFile(path: output)
    }

    /// Lines of a text file, without their newlines, read a megabyte at a time; `bytesRead` gets each
    /// megabyte's size once its lines are done.
    private func readLines(_ path: String, _ body: (String) throws -> Void, bytesRead: (Int) -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }  // absent: nothing captured
        defer { try? handle.close() }
        var pending: [UInt8] = []
        while case let chunk = handle.readData(ofLength: 1 << 20), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 10) {
                try body(String(decoding: pending[start..<newline], as: UTF8.self))
                start = newline + 1
            }
            pending.removeFirst(start)
            bytesRead(chunk.count)
        }
        if !pending.isEmpty { try body(String(decoding: pending, as: UTF8.self)) }
    }
}
