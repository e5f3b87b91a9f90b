/// The counts line `parity replay` prints and `rehearse` repeats: one wording from the report's own
/// counts, so a summary cannot state other numbers than `parity.json`.
extension ParityReport {
    public var countsLine: String {
        "members compared \(counts.membersCompared): identical \(counts[.identical]), equivalent "
            + "\(counts[.equivalent]), "
            + "accepted \(counts[.accepted]), different \(counts[.different]), "
            + "only in A \(counts[.onlyInA]), only in B \(counts[.onlyInB])"
    }
}
