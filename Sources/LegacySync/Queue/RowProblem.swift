/// A queue row that breaks the table's contract: which row, which column, what is wrong.
/// Never holds the value itself (it may be personal data).
public struct RowProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The row id, or nil when the id itself is unreadable.
    public let rowID: Int64?
    public let column: String
    public let problem: String

    public init(rowID: Int64?, column: String, problem: String) {
        self.rowID = rowID
        self.column = column
        self.problem = problem
    }

    public var description: String {
        "row id=\(rowID.map(String.init) ?? "?") column \(column): \(problem)"
    }
}
