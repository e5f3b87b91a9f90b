/// How the drain applies a member's rows.
public enum DrainVia: String, Sendable, CaseIterable {
    /// The member's current state through Path B's transform: the shape the new system writes.
    case webhook
    /// Path A's exact semantics, row by row: a faithful last nightly run.
    case queue
}
