extension Ledger {
    /// What a step's run concluded, in the words the ledger stores (its raw values are the text that
    /// older ledgers hold too). Whether it passed is decided by the exit code, not by the verdict.
    public enum Verdict: String, Sendable, CaseIterable {
        /// A snapshot or an archive was written.
        case written
        /// Parity or verify passed.
        case pass
        /// Parity passed with accepted differences.
        case accepted
        /// Parity, verify or shadow compare failed.
        case fail
        /// Parity or verify compared nothing, or lacked what it needs to (no register, no baseline).
        case inconclusive
        /// The drain settled every row.
        case drained
        /// The drain left dead letters or stopped.
        case rowsLeft = "rows left"
        /// The queue table is back in its original place (a rollback).
        case restored
        /// The queue table was restored into a scratch schema or file (the rehearsal of a rollback).
        case rehearsed
        /// Retire renamed (or dropped) the queue table.
        case retired
        /// Retire's dry run: every gate is green.
        case allGatesPass = "all gates pass"
        /// Retire refused: a gate failed.
        case refused
        /// The step stopped with an error before it could conclude.
        case failed
        /// A parity replay or verify restricted with --member, --since or --until: whatever it found speaks
        /// for those members only, so it never passes as the step (an older version reads it as `failed`).
        case drillDown = "drill-down"

        /// Reads a stored verdict; text this version does not know (a ledger written by a newer one) is
        /// shown as `failed` rather than guessed.
        init(stored text: String) {
            self = Verdict(rawValue: text) ?? (text == "passed" ? .pass : .failed)
        }
    }
}
