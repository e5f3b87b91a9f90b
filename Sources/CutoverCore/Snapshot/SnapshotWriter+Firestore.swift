import CutoverSupport
import Firestore
import SQLite
import Snapshots

/// The Firestore side of a snapshot: `members`, `sync_logs` and `sync_queue`, page by page, each
/// document with its create and update time, its fields in Firestore's REST JSON (canonical).
extension SnapshotWriter {
    func captureFirestore(
        _ store: any DocumentStore, into file: SQLiteDatabase, progress: (String) -> Void,
        counted: (ProgressCount) -> Void
    ) async throws
        -> [SnapshotManifest.TableDigest]
    {
        var digests: [SnapshotManifest.TableDigest] = []
        for collection in SnapshotFormat.firestoreCollections {
            progress("capturing Firestore \(collection) from \(store.label)")
            let hasher = RowHasher()
            let insert = try sqliteStatement(file, "INSERT INTO firestore_documents VALUES (?, ?, ?, ?, ?)")
            try sqliteStep { try file.execute("BEGIN") }
            do {
                // Name order is the id's byte order: the same order the hash is computed in.
                try await store.forEachDocumentText(in: collection, pageSize: 1_000) { document in
                    let values = [
                        document.id, document.fieldsJSON, document.createTime?.iso8601, document.updateTime?.iso8601,
                    ]
                    hasher.addRow(values)
                    try sqliteStep {
                        try insert.run([.text(collection)] + values.map(SQLiteValue.init))
                    }
                    if hasher.rowCount % 10_000 == 0 {
                        counted(ProgressCount(hasher.rowCount, unit: "\(collection) documents"))
                    }
                }
                try sqliteStep { try file.execute("COMMIT") }
            } catch {
                _ = try? file.execute("ROLLBACK")
                throw error
            }
            digests.append(.init(name: "firestore/\(collection)", rowCount: hasher.rowCount, sha256: hasher.finalize()))
        }
        return digests
    }

    private func sqliteStatement(_ file: SQLiteDatabase, _ sql: String) throws -> SQLiteStatement {
        try sqliteStep { try file.prepare(sql) }
    }

    private func sqliteStep<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError {
            throw CutoverError(.output, "cannot write the snapshot: \(error.description)")
        }
    }
}
