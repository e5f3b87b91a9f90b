import LegacySync

extension Drainer {
    /// What a row settled without a write of its own says in error_message: an old error (a failed
    /// retry) no longer describes a row the drain resolved this way. No row values: the table is read
    /// by people and tools that should not meet a kennitala in a note.
    static func settledNote(_ outcome: DrainOutcome) -> String? {
        switch outcome {
        case .superseded: "superseded: settled by the cutover drain; a later row of the same member carried its change"
        case .orphan: "orphan: settled by the cutover drain; the member is no longer in the register"
        default: nil
        }
    }

    /// Marks settled rows synced, as Django's endpoint did; superseded and orphan rows with a note that
    /// says so.
    func markSettled(_ results: [DrainRowResult], in queue: QueueTableWriter, mark: Int64) throws {
        let time = clock()
        for (outcome, rows) in Dictionary(grouping: results, by: \.outcome).sorted(by: {
            $0.key.rawValue < $1.key.rawValue
        }) {
            try queue.markSynced(rows.map(\.rowID), at: time, mark: mark, note: Self.settledNote(outcome))
        }
    }
}
