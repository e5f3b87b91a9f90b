import CutoverSupport

/// A queue row read as the legacy model means it. Produced by `QueueRowDecoder`, which reports
/// rows that break the contract instead of guessing.
public struct QueueRow: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable { case create, update, delete }
    public enum Status: String, Sendable, CaseIterable { case pending, syncing, synced, failed }

    public let id: Int64
    public let memberID: Int64?
    /// As stored (10 digits, or hyphenated in hand-made tables).
    public let ssn: String
    public let action: Action
    public let fieldsChanged: [String: JSONValue]
    public let createdAt: Timestamp
    public let syncedAt: Timestamp?
    public let status: Status
    public let errorMessage: String
    public let retryCount: Int

    public init(
        id: Int64, memberID: Int64?, ssn: String, action: Action, fieldsChanged: [String: JSONValue],
        createdAt: Timestamp, syncedAt: Timestamp?, status: Status, errorMessage: String, retryCount: Int
    ) {
        self.id = id
        self.memberID = memberID
        self.ssn = ssn
        self.action = action
        self.fieldsChanged = fieldsChanged
        self.createdAt = createdAt
        self.syncedAt = syncedAt
        self.status = status
        self.errorMessage = errorMessage
        self.retryCount = retryCount
    }

    /// The SSN without a hyphen: the Firestore document id.
    public var normalisedSSN: String { Kennitala.normalised(ssn) }
}
