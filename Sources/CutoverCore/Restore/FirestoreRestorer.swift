import CutoverSupport
import Firestore
import Snapshots

/// Puts a snapshot's Firestore collections back (`restore --firestore STORE`) in batched commits.
/// Documents get their fields back; create and update times are the server's to assign, so they
/// are new. Documents the snapshot does not hold are left alone unless `replace` deletes them first.
public struct FirestoreRestorer {
    public struct Result: Sendable, Equatable {
        /// collection → documents written.
        public var written: [String: Int] = [:]
        /// collection → documents deleted first (with `replace`).
        public var deleted: [String: Int] = [:]
    }

    public let snapshot: SnapshotFile
    public let replace: Bool

    public init(snapshot: SnapshotFile, replace: Bool) {
        self.snapshot = snapshot
        self.replace = replace
    }

    public func run(into store: any DocumentStore, progress: (String) -> Void = { _ in }) async throws -> Result {
        try requireCollections()
        var result = Result()
        for collection in SnapshotFormat.firestoreCollections {
            if replace { result.deleted[collection] = try await store.deleteAll(in: collection) }
            progress("restoring Firestore \(collection) into \(store.label)")
            let documents = try snapshot.firestoreDocuments(collection)
            for start in stride(from: 0, to: documents.count, by: 400) {
                _ = try await store.commit(
                    documents[start..<min(start + 400, documents.count)].map { .set($0.path, $0.fields) })
            }
            result.written[collection] = documents.count
        }
        return result
    }

    /// What `run` would write and delete, from the snapshot's manifest and the store's listing; writes nothing.
    public func plan(for store: any DocumentStore) async throws -> Result {
        try requireCollections()
        var result = Result()
        for collection in SnapshotFormat.firestoreCollections {
            if replace {
                var existing = 0
                try await store.forEachDocument(in: collection, pageSize: 500) { _ in existing += 1 }
                result.deleted[collection] = existing
            }
            result.written[collection] = snapshot.manifest.table("firestore/\(collection)")?.rowCount ?? 0
        }
        return result
    }

    private func requireCollections() throws {
        guard snapshot.manifest.values["firestore_collections"] != nil else {
            throw CutoverError(.input, "\(snapshot.path) holds no Firestore collections (taken without --firestore)")
        }
    }
}
