/// One condition retirement waits for, with why it passed or failed.
public struct RetirementGate: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case archiveValid = "archive-valid"
        case archiveFresh = "archive-fresh"
        case restoreRehearsed = "restore-rehearsed"
        case drainProof = "drain-proof"
        case parityVerdict = "parity-verdict"
        case noRowsAfterMark = "no-rows-after-mark"
        /// Only with --purge-firestore: the collections to purge are in the archive.
        case firestoreArchived = "firestore-archived"
    }

    public var name: Name
    public var passed: Bool
    public var detail: String
}
