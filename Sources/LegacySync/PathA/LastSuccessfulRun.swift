import CutoverSupport
import Firestore

/// Path A's `since` (LEGACY.md §4 step 1): `completed_at` of the newest `sync_logs` document with
/// `type = bidirectional_sync` and `status = success`.
public enum LastSuccessfulRun {
    public static let query = StructuredQuery(
        collectionID: CollectionName.syncLogs.rawValue,
        filter: .and([
            .field(FieldPath(["type"]), .equal, "bidirectional_sync"), .field(FieldPath(["status"]), .equal, "success"),
        ]),
        orderBy: [.init(FieldPath(["completed_at"]), descending: true)], limit: 1)

    /// From a live store, with the legacy code's own query.
    public static func find(in store: any DocumentStore) async throws -> Timestamp? {
        try await store.runQuery(query, parent: "").first.flatMap(completedAt)
    }

    /// From the `sync_logs` documents a snapshot captured.
    public static func find(in documents: [FirestoreDocument]) -> Timestamp? {
        query.evaluate(documents, database: DatabaseName(project: "snapshot")).first.flatMap(completedAt)
    }

    static func completedAt(_ document: FirestoreDocument) -> Timestamp? {
        if case .timestamp(let time)? = document.fields["completed_at"] { return time }
        return nil
    }
}
