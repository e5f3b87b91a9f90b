/// Why the two paths' documents for a member can differ, read from the member's lineage (which
/// queue rows each path applied, skipped or failed). Rules can accept differences by cause.
public enum DifferenceCause: String, Sendable, CaseIterable, Comparable, Codable {
    /// A pending row created before the last successful run: Path A never fetches it again.
    case pathAStranded = "path-a-stranded"
    /// A row left `failed`: Path A fetches only pending rows, so it is never retried.
    case pathAFailedRow = "path-a-failed-row"
    /// Path A fetched the row and failed it (404, enum out of range, update of a missing document).
    case pathAFailed = "path-a-failed"
    /// An update key outside Path A's mapping (or an empty value it skipped): marked synced, never written.
    case pathADroppedField = "path-a-dropped-field"
    /// A `9999` placeholder: Django never sends it to the webhook.
    case pathBSkippedPlaceholder = "path-b-skipped-placeholder"
    /// A contact-info or address edit alone: only saves of the member itself POST to the webhook.
    case pathBNotSent = "path-b-not-sent"
    /// The webhook answered 500 (delete of a missing document).
    case pathBFailed = "path-b-failed"
    /// The member is no longer in the register: the payload Django sent then cannot be rebuilt.
    case pathBNotReplayable = "path-b-not-replayable"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var explanation: String {
        switch self {
        case .pathAStranded: "Path A never fetched a pending row created before its last successful run (stranded)"
        case .pathAFailedRow: "a failed row is never retried by Path A (it fetches pending rows only)"
        case .pathAFailed: "Path A fetched the row and failed it"
        case .pathADroppedField:
            "Path A dropped an update field (outside its mapping, or an empty value) yet marked the row synced"
        case .pathBSkippedPlaceholder: "Django does not send 9999 placeholders to the webhook"
        case .pathBNotSent: "a contact-info or address edit alone does not POST to the webhook"
        case .pathBFailed: "the webhook answered 500"
        case .pathBNotReplayable: "the member left the register: the webhook payload of the time cannot be rebuilt"
        }
    }
}
