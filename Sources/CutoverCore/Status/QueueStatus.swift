import CutoverSupport
import LegacySync

/// The queue at a glance: the result of `cutover status`.
public struct QueueStatus: Sendable {
    public struct OrphanDelete: Sendable, Equatable {
        public let rowID: Int64
        public let ssn: String
        public let createdAt: Timestamp
    }

    public let source: String
    public let engineVersion: String
    public let table: QueueTableName
    public let asOf: Timestamp
    /// `completed_at` of the last successful nightly run, and where it came from.
    public let lastRun: Timestamp?
    public let lastRunOrigin: String
    public let totalRows: Int
    /// status → action → rows.
    public let byStatusAction: [String: [String: Int]]
    public let oldestPending: (id: Int64, createdAt: Timestamp)?
    public let pendingFresh: Int
    public let pendingStranded: Int
    /// Pending rows that could not be split (no last-run time known).
    public let pendingUnclassified: Int
    public let failedByRetryCount: [Int: Int]
    public let orphanDeletes: [OrphanDelete]
    /// status → updates whose every field Path A dropped.
    public let allDroppedUpdates: [String: Int]
    public let placeholderRows: Int
    public let hyphenatedSSNRows: Int
    /// Row ids whose kennitala fails the check digit: a warning, the rows are kept.
    public let checkDigitWarnings: [Int64]
    public let invalidRows: [RowProblem]
    public let invalidRowCount: Int
    public let extraColumns: [String]

    public var pendingTotal: Int { pendingFresh + pendingStranded + pendingUnclassified }
    public var allDroppedTotal: Int { allDroppedUpdates.values.reduce(0, +) }

    public func count(status: String, action: String) -> Int { byStatusAction[status]?[action] ?? 0 }

    public func count(status: String) -> Int { byStatusAction[status]?.values.reduce(0, +) ?? 0 }

    /// Exit code for scripts: invalid rows make the status "needs attention".
    public var exitCode: Int32 { (invalidRowCount > 0 ? ExitCode.invalidData : .success).code }
}
