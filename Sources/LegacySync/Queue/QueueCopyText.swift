import Postgres

/// The archive's `queue/rows.copy` line for one queue row: PostgreSQL COPY text, tab-separated, `\N`
/// for NULL, escaped as `PostgresCopyWriter` escapes. One spelling for `archive create` (rows read back
/// from the snapshot) and `snapshot --archive` (rows as the source hands them over), so both write the
/// same bytes for the same rows.
public enum QueueCopyText {
    /// Appends the row's line, newline included, to `line`.
    public static func append(_ row: any RawRow, to line: inout [UInt8]) {
        // PostgreSQL's own line is already this text when nothing in it needed escaping: nearly every
        // row of a queue, and the copy a million rows would otherwise spend re-escaping on the busy core.
        if let copy = row as? CopyTextRow, let verbatim = copy.verbatimLine {
            line.append(contentsOf: verbatim)
            line.append(10)
            return
        }
        for field in 0..<row.fieldCount {
            if field > 0 { line.append(9) }
            row.withBytes(field) { bytes in
                guard let bytes else { return line.append(contentsOf: [92, 78]) }  // \N
                PostgresCopyWriter.appendEscaped(bytes.assumingMemoryBound(to: UInt8.self), to: &line)
            }
        }
        line.append(10)
    }
}
