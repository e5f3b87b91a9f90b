import CutoverSupport
import Firestore
import LegacySync

/// Everything a replay knows about one member, gathered from a snapshot in kennitala order: the
/// queue rows still to deliver, the register's serialisations for each path, the baseline document.
public struct MemberChanges: Sendable {
    /// Without a hyphen: the document id.
    public var kennitala: String
    /// Rows not yet synced (pending, failed, syncing), oldest first.
    public var rows: [QueueRow]
    /// What Django's member endpoint returned (Path A), and the webhook's `data` (Path B); nil when the
    /// member is not in the register.
    public var pathA: JSONValue?
    public var pathB: JSONValue?
    /// `members/{kennitala}` as the snapshot captured it.
    public var baseline: FirestoreDocument?
    /// Whether the register and the baseline hold the member, also when an untouched member's data was
    /// left unparsed.
    public var inRegister = false
    public var hasBaseline = false

    public init(
        kennitala: String, rows: [QueueRow] = [], pathA: JSONValue? = nil, pathB: JSONValue? = nil,
        baseline: FirestoreDocument? = nil
    ) {
        self.kennitala = kennitala
        self.rows = rows
        self.pathA = pathA
        self.pathB = pathB
        self.baseline = baseline
        inRegister = pathA != nil
        hasBaseline = baseline != nil
    }

    public var isPlaceholder: Bool { Kennitala.isPlaceholder(kennitala) }
}
