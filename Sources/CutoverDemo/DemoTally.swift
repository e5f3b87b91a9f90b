import LegacySync

/// What the generator planted, class by class, counted as it wrote each row (not by re-reading the
/// data): `cutover status` on the seeded database must arrive at the same numbers.
public struct DemoTally: Sendable, Equatable {
    public var totalRows = 0
    /// status → action → rows.
    public var byStatusAction: [String: [String: Int]] = [:]
    public var pendingFresh = 0
    public var pendingStranded = 0
    /// retry_count → failed rows.
    public var failedByRetryCount: [Int: Int] = [:]
    public var orphanDeletes = 0
    /// Updates whose every field Path A drops (any status).
    public var allDroppedUpdates = 0
    public var placeholderRows = 0
    public var invalidCheckDigitRows = 0
    public var hyphenatedRows = 0

    mutating func count(_ row: DemoQueueRow, fresh: Bool) {
        totalRows += 1
        byStatusAction[row.status.rawValue, default: [:]][row.action.rawValue, default: 0] += 1
        switch row.status {
        case .pending: if fresh { pendingFresh += 1 } else { pendingStranded += 1 }
        case .failed: failedByRetryCount[row.retryCount, default: 0] += 1
        default: break
        }
        if Kennitala.isPlaceholder(row.ssn) { placeholderRows += 1 }
        if row.ssn.contains("-") { hyphenatedRows += 1 }
    }
}
