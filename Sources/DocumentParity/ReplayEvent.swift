import LegacySync

/// What one path did with one queue row during a replay: the lineage behind a member's document.
public struct ReplayEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// The path wrote the document.
        case written
        /// The row counted as done without a write (all fields dropped; delete of a missing document).
        case noWrite = "no-write"
        /// The row failed (Path A: left pending; Path B: the webhook answered an error).
        case failed
        /// The path never saw the row (Path A: not fetched; Path B: not sent, or not replayable).
        case skipped
    }

    public var rowID: Int64
    public var action: QueueRow.Action
    public var outcome: Outcome
    /// Why, in a few words (masked: no personal data).
    public var detail: String
    public var cause: DifferenceCause?
    /// The Path A field paths the cause can explain; nil when it explains the whole document.
    public var scope: [String]?

    public init(
        rowID: Int64, action: QueueRow.Action, outcome: Outcome, detail: String,
        cause: DifferenceCause? = nil, scope: [String]? = nil
    ) {
        self.rowID = rowID
        self.action = action
        self.outcome = outcome
        self.detail = detail
        self.cause = cause
        self.scope = scope
    }

    /// True when the event's cause can explain a difference at `path`.
    public func explains(_ path: String) -> Bool {
        guard cause != nil else { return false }
        guard let scope else { return true }
        return scope.contains {
            FieldPattern.isSameOrAncestor($0, of: path) || FieldPattern.isSameOrAncestor(path, of: $0)
        }
    }
}
