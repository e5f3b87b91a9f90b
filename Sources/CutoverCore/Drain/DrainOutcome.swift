import LegacySync

/// What the drain did with one queue row. Every row at or below the mark gets exactly one.
public enum DrainOutcome: String, Sendable, CaseIterable, Codable {
    /// Its change reached the target (the member's current state, or Path A's write).
    case applied
    /// The target document was written after the row was created: never overwrite newer data.
    case superseded
    /// A delete of a document that never existed (or a change for a member gone from the register).
    case orphan
    /// Retries exhausted: left failed in the queue, written to the dead letters.
    case dead
    /// The row itself is malformed: left as it is, written to the dead letters.
    case invalid

    /// Rows the drain resolves: marked synced in the queue.
    public var marksSynced: Bool { self == .applied || self == .superseded || self == .orphan }
}

/// One row's outcome with why.
public struct DrainRowResult: Sendable, Equatable {
    public var rowID: Int64
    public var kennitala: String
    /// nil for a row whose action could not be read (an invalid row).
    public var action: QueueRow.Action?
    public var outcome: DrainOutcome
    public var detail: String

    /// The action as reports and the journal spell it ("" when it could not be read).
    public var actionText: String { action?.rawValue ?? "" }

    public init(rowID: Int64, kennitala: String, action: QueueRow.Action?, outcome: DrainOutcome, detail: String) {
        self.rowID = rowID
        self.kennitala = kennitala
        self.action = action
        self.outcome = outcome
        self.detail = detail
    }
}
