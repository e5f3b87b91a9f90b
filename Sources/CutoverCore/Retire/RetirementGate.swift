/// One condition retirement waits for, with why it passed or failed.
public struct RetirementGate: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case archiveValid = "archive-valid"
        case archiveFresh = "archive-fresh"
        case restoreRehearsed = "restore-rehearsed"
        case drainProof = "drain-proof"
        case parityVerdict = "parity-verdict"
        /// The archive, parity report, journal and restore record all come from this database and table.
        case sourceIdentity = "source-identity"
        case noRowsAfterMark = "no-rows-after-mark"
        /// No queue row was inserted for the quiet window (`created_at` against the clock): Path A's writers
        /// are gone, so nothing fails once the table is.
        case quietWindow = "quiet-window"
        /// Only with --purge-firestore: the collections to purge are in the archive.
        case firestoreArchived = "firestore-archived"
    }

    public var name: Name
    public var passed: Bool
    public var detail: String
}
