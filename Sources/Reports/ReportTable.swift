/// A table in a report: named columns (numbers right-aligned) and rows of inline text. Reports cap
/// the rows they put here; the JSON file is where every row goes.
public struct ReportTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var title: String
        public var numeric: Bool

        public init(_ title: String, numeric: Bool = false) {
            self.title = title
            self.numeric = numeric
        }
    }

    public var columns: [Column]
    public var rows: [[ReportText]]

    public init(columns: [Column], rows: [[ReportText]]) {
        self.columns = columns
        self.rows = rows
    }

    /// A one-row table of counts, one column each: the shape every report's tally takes.
    public static func counts(_ tally: [(String, Int)]) -> ReportTable {
        ReportTable(columns: tally.map { Column($0.0, numeric: true) }, rows: [tally.map { "\($0.1)" }])
    }
}
