import LegacySync
import Postgres

/// Queue rows on their way from the snapshot's reader to its other threads: their COPY text (the
/// archive's `queue/rows.copy`, `QueueCopyText`'s bytes) and, for the SQLite inserter, where each value
/// lies in that text, so the inserter does not parse the text again.
///
/// Why the positions: PostgreSQL's own line is the text of nearly every row (`CopyTextRow.verbatimLine`),
/// and the reader has already found its fields; parsing 1,000,000 lines a second time cost the
/// inserter's thread ~0.15 s of CPU on a machine whose two cores are both busy.
struct QueueRowBatch: Sendable {
    /// Whole lines, each ending in a newline.
    private(set) var text: [UInt8] = []
    /// `columns` entries per row, in row order. For a row whose values are slices of its line: each
    /// value's end in `text` (the offset of the tab or newline after it), or `-1 - end` for NULL; each
    /// value starts one byte after the previous one's end, the first where the line starts. For any
    /// other row (one with escapes, or not from PostgreSQL) the first entry is `parseLine` and the
    /// rest are unused: its line must be parsed.
    private(set) var fieldEnds: [Int32] = []
    let columns: Int

    static let parseLine = Int32.min

    /// Room for about `bytes` of text, and a line more, so the buffer seldom grows.
    init(columns: Int, reserving bytes: Int) {
        precondition(columns > 0, "a queue row has columns")
        self.columns = columns
        text.reserveCapacity(bytes + 64 * 1024)
        // A queue row's line is about 130 bytes: room for that many rows' positions.
        fieldEnds.reserveCapacity((bytes / 100) * columns)
    }

    var isEmpty: Bool { text.isEmpty }

    /// Appends `row`'s line.
    mutating func append(_ row: some RawRow) {
        let lineStart = text.count
        if let copy = row as? CopyTextRow, copy.count == columns, let verbatim = copy.verbatimLine,
            lineStart + verbatim.count < Int(Int32.max)
        {
            text.append(contentsOf: verbatim)
            text.append(10)
            copy.forEachVerbatimFieldEnd { end, isNull in
                let offset = Int32(lineStart + end)
                fieldEnds.append(isNull ? -1 - offset : offset)
            }
            return
        }
        QueueCopyText.append(row, to: &text)
        fieldEnds.append(Self.parseLine)
        fieldEnds.append(contentsOf: repeatElement(0, count: columns - 1))
    }
}
