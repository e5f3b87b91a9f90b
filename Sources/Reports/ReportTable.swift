/// A table in a report: named columns (numbers right-aligned) and rows of inline text. Reports cap
/// the rows they put here, except a sortable table: the HTML page carries every row of it (sorted by a
/// click on a heading, filtered by typing) while Markdown shows the first `markdownRows`.
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
    /// HTML: a click on a heading sorts the rows, a filter box hides those not containing its text.
    public var sortable: Bool
    /// How many rows Markdown shows (nil: all); a line says where the rest are.
    public var markdownRows: Int?
    /// Where the rows Markdown leaves out can be read, for that line.
    public var elsewhere: String

    public init(
        columns: [Column], rows: [[ReportText]], sortable: Bool = false, markdownRows: Int? = nil,
        elsewhere: String = ""
    ) {
        self.columns = columns
        self.rows = rows
        self.sortable = sortable
        self.markdownRows = markdownRows
        self.elsewhere = elsewhere
    }

    /// A one-row table of counts, one column each: the shape every report's tally takes.
    public static func counts(_ tally: [(String, Int)]) -> ReportTable {
        ReportTable(columns: tally.map { Column($0.0, numeric: true) }, rows: [tally.map { "\($0.1)" }])
    }
}
