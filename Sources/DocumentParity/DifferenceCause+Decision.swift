/// What a FAIL asks of the operator for each cause: the LEGACY.md §6 difference behind it and the
/// choice it needs. Path B (the webhook) is the path that stays, so a Path B cause asks whether to fix
/// it; a Path A cause is a delivery Path A never made, which the drain makes at cutover.
extension DifferenceCause {
    /// The known difference (LEGACY.md §6) behind the cause; nil for a limit of the replay itself.
    public var hazard: ParityHazard? {
        switch self {
        case .pathAStranded, .pathAFailedRow: .latency
        case .pathAFailed, .pathADroppedField: .updateSemantics
        case .pathBSkippedPlaceholder: .placeholders
        case .pathBNotSent: .contactEditAlone
        case .pathBFailed: .deleteOfMissingDocument
        case .pathBNotReplayable: nil
        }
    }

    /// The decision, in one sentence: fix the new path, or accept knowingly, and what each means.
    public var choice: String {
        switch self {
        case .pathAStranded:
            "Path B holds the register's value and Path A never delivered it: accept knowingly (the drain applies "
                + "stranded rows at cutover), or fix nothing and rerun after a drain"
        case .pathAFailedRow:
            "Path B holds the register's value and Path A never retried the failed row: accept knowingly (drain "
                + "with --include-failed applies it), or settle the rows by hand first"
        case .pathAFailed:
            "Path A failed the row (a missing document or a value out of range) where Path B's merge wrote it: "
                + "accept knowingly if Path B's document is the one consumers should read, or fix the data the "
                + "row names"
        case .pathADroppedField:
            "Path B writes the fields Path A dropped while marking the rows synced: accept knowingly (consumers "
                + "gain the register's value), or fix Path B to leave them out"
        case .pathBSkippedPlaceholder:
            "fix Path B to send 9999 members if a consumer needs them, or accept knowingly that these "
                + "placeholders for merged duplicates are no longer synced"
        case .pathBNotSent:
            "fix Path B so that a contact-info or address edit alone posts to the webhook, or accept knowingly "
                + "that such an edit waits for the member's next save"
        case .pathBFailed:
            "fix Path B to answer a delete of a missing document with success as Path A did, or accept knowingly "
                + "the webhook's HTTP 500 (there was no document to lose)"
        case .pathBNotReplayable:
            "not a difference of the paths: the replay cannot rebuild what Django sent for a member who left the "
                + "register; accept knowingly, or check these members' documents by hand"
        }
    }
}
