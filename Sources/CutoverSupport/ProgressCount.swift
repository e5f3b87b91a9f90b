/// How far a counted step has come — `done` of `total` `unit` — as a long step's core type reports it to
/// whoever shows progress (the command's `ProgressMeter`). The core knows what it counts and what total it
/// can name cheaply; the command decides how, and how often, it is shown.
public struct ProgressCount: Sendable, Equatable {
    /// The unit of byte counts: shown as megabytes, not as a twelve-digit number.
    public static let bytes = "bytes"

    public var done: Int
    /// Nil when no total is known without extra work (a Firestore collection's size).
    public var total: Int?
    /// The total is an estimate — PostgreSQL's planner statistics for a table's rows, the register's
    /// member count for the documents a store holds — and is shown with `~`.
    public var totalIsEstimate: Bool
    /// What is counted, plural: `queue rows`, `documents`, `bytes`.
    public var unit: String

    public init(_ done: Int, of total: Int? = nil, estimated: Bool = false, unit: String) {
        self.done = done
        self.total = total
        self.totalIsEstimate = estimated && total != nil
        self.unit = unit
    }
}
