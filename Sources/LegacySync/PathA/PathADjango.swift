import CutoverSupport

/// Django's side of Path A, as the nightly run saw it through `/api/sync/*` (LEGACY.md §4).
public protocol PathADjango: Sendable {
    /// `GET /api/sync/changes/?since=`: pending rows created after `since`, oldest first.
    func pendingChanges(since: Timestamp) async throws -> [QueueRow]
    /// `GET /api/sync/member/<ssn>/`: the flat member JSON, or nil for a 404.
    func member(ssn: String) async throws -> JSONValue?
    /// `POST /api/sync/mark-synced/`: flips only rows still pending; returns how many.
    func markSynced(_ ids: [Int64], at time: Timestamp) async throws -> Int
    /// `POST /api/sync/apply/`: one member's portal changes in one transaction.
    func apply(kennitala: String, changes: [String: JSONValue]) async throws -> PathADjangoApply
}

/// What Django's apply endpoint did with one member's changes.
public struct PathADjangoApply: Sendable, Equatable {
    /// nil on success; "Member not found" for an unknown SSN.
    public var error: String?
    /// Paths Django ignored (address.*, membership.*, profile.facebook, …) — yet the group succeeded.
    public var ignoredPaths: [String]

    public init(error: String? = nil, ignoredPaths: [String] = []) {
        self.error = error
        self.ignoredPaths = ignoredPaths
    }
}
