import CutoverLedger

extension Ledger.Verdict {
    /// A parity replay's verdict as the ledger records it.
    public init(_ parity: ParityReport.Verdict) {
        switch parity {
        case .pass: self = .pass
        case .accepted: self = .accepted
        case .fail: self = .fail
        case .inconclusive: self = .inconclusive
        }
    }
}
