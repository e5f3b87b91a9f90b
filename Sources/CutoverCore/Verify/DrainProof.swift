import LegacySync

/// The proof that a drain finished: against the journal's newest drain, every queue row at or below
/// its mark is synced or classified, none is left dead or invalid, and no row arrived above the mark.
public struct DrainProof: Sendable {
    public var drainID: Int64?
    public var mark: Int64?
    public var drainFinished = false
    /// Rows at or below the mark that are neither synced nor classified by the drain.
    public var unresolved: [Int64] = []
    /// Rows the drain left behind: dead (retries exhausted) or invalid.
    public var deadLetters: [DrainRowResult] = []
    public var classified: [DrainOutcome: Int] = [:]
    public var statusCounts: [String: Int] = [:]
    public var rowsAboveMark = 0
    public var problem: String?

    public var passes: Bool {
        problem == nil && drainFinished && unresolved.isEmpty && deadLetters.isEmpty && rowsAboveMark == 0
    }

    static func check(queue: QueueTableWriter, journal: DrainJournal?) throws -> DrainProof {
        var proof = DrainProof()
        guard let journal, let drain = try journal.latest() else {
            proof.problem = "no drain is recorded in the journal: run `cutover drain` first"
            return proof
        }
        proof.drainID = drain.id
        proof.mark = drain.mark
        proof.drainFinished = drain.finishedAt != nil
        // Counted and looked up in the journal, not loaded: a million drained rows stay on disk.
        proof.classified = try journal.outcomeCounts(drain)
        for id in try queue.unresolvedIDs(upTo: drain.mark) {
            // Not synced: either left behind on purpose (dead, invalid), or unresolved — never drained, or
            // drained yet not marked (a crash the drain has not been rerun after).
            if let result = try journal.outcome(drain, rowID: id), !result.outcome.marksSynced {
                proof.deadLetters.append(result)
            } else {
                proof.unresolved.append(id)
            }
        }
        proof.statusCounts = try queue.statusCounts(upTo: drain.mark)
        proof.rowsAboveMark = try queue.countAbove(drain.mark)
        return proof
    }
}
