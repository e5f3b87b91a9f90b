/// A cursor over rows whose first column is a member id, read in order, one member's rows at a time.
final class PeekingCursor {
    private let cursor: any RowCursor
    private var peeked: [String?]??

    package init(_ cursor: any RowCursor) { self.cursor = cursor }

    private func peek() throws -> [String?]? {
        if peeked == nil { peeked = .some(try cursor.next()) }
        return peeked!
    }

    /// The rows for `memberID`, skipping rows of lower ids (rows whose member is gone). Every query
    /// excludes rows without a member id: one would end the merge early.
    func take(for memberID: Int64) throws -> [[String?]] {
        var rows: [[String?]] = []
        while let row = try peek(), let id = Int64(row[0] ?? "") {
            if id > memberID { break }
            peeked = nil
            if id == memberID { rows.append(row) }
        }
        return rows
    }
}
