import CutoverSupport
import Firestore

/// Step 3 of Path A's nightly run (LEGACY.md §4) for one queue row: what the run wrote to
/// `members/{ssn}` for a `create`, `update` or `delete`, defects included. The nightly run calls it
/// for every row it fetched; a replay calls it for one member's rows at a time.
public struct PathAPull: Sendable {
    /// What happened to one queue row the run fetched.
    public enum Outcome: Sendable, Equatable {
        /// A document was written (replaced, patched, or marked inactive).
        case written
        /// Counted as success without any write: every field dropped, or a delete of a missing document.
        case successWithoutWrite(String)
        /// Counted as failed and left pending.
        case failed(String)

        public var isFailure: Bool { if case .failed = self { true } else { false } }
    }

    let store: any DocumentStore
    /// Django's `GET /api/sync/member/<ssn>/`: the flat member JSON, or nil for a 404.
    let member: @Sendable (String) async throws -> JSONValue?
    /// The run's clock, for the fields the create document fills from it.
    let clock: @Sendable () -> Timestamp

    public init(
        store: any DocumentStore, clock: @escaping @Sendable () -> Timestamp,
        member: @escaping @Sendable (String) async throws -> JSONValue?
    ) {
        self.store = store
        self.clock = clock
        self.member = member
    }

    public func apply(_ row: QueueRow) async -> Outcome {
        let path = DocumentPath.member(row.normalisedSSN)
        do {
            switch row.action {
            case .create:
                guard let member = try await member(row.normalisedSSN) else {
                    return .failed("member endpoint answered 404")
                }
                let fields: [String: FirestoreValue]
                do { fields = try PathACreateDocument.fields(memberJSON: member, serverTime: clock()) } catch {
                    return .failed("\(error)")
                }
                _ = try await store.commit([.set(path, fields, serverTime: Self.syncTimes)])
                return .written
            case .update:
                let paths = PathAUpdatePaths.paths(for: row.fieldsChanged)
                guard !paths.isEmpty else { return .successWithoutWrite("every field dropped") }
                _ = try await store.commit([.update(path, paths, serverTime: [Self.lastModified, Self.lastSync])])
                return .written
            case .delete:
                guard try await store.getDocument(path) != nil else {
                    return .successWithoutWrite("document does not exist (logged as a warning)")
                }
                _ = try await store.commit([
                    .update(
                        path, [FieldPath(["membership", "status"]): "inactive"],
                        serverTime: [Self.deletedAt, Self.lastSync])
                ])
                return .written
            }
        } catch {
            return .failed("\(error)")
        }
    }

    static let lastSync = FieldPath(["metadata", "last_sync"])
    static let lastModified = FieldPath(["metadata", "last_modified"])
    static let deletedAt = FieldPath(["metadata", "deleted_at"])
    static let syncTimes = [FieldPath(["metadata", "created_at"]), FieldPath(["metadata", "last_sync"])]
}
