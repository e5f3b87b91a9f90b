import Postgres
import Testing

/// `CopyTextRow.verbatimLine`: PostgreSQL's own line is handed back only where re-escaping the fields
/// as `PostgresCopyWriter` does would give the same bytes.
struct CopyTextRowVerbatimTests {
    /// The verbatim line (nil when refused) and the fields re-escaped as the writer escapes them.
    func both(_ line: String) throws -> (verbatim: String?, rewritten: String) {
        let row = CopyTextRow()
        return try Array(line.utf8).withUnsafeBytes { bytes in
            try row.parse(bytes)
            var rewritten: [UInt8] = []
            for field in 0..<row.count {
                if field > 0 { rewritten.append(9) }
                row.withBytes(field) { value in
                    guard let value else { return rewritten += [92, 78] }
                    PostgresCopyWriter.appendEscaped(value.assumingMemoryBound(to: UInt8.self), to: &rewritten)
                }
            }
            return (
                row.verbatimLine.map { String(decoding: $0, as: UTF8.self) }, String(decoding: rewritten, as: UTF8.self)
            )
        }
    }

    @Test(arguments: [
        "1\t0101702989\tmember_updated\t{\"a\": 1}\n",
        "2\t\\N\tmember_created\t\\N\n",
        "3\t\t\t\n",
    ])
    func plainLinesAreHandedBackWithoutTheirNewline(line: String) throws {
        let (verbatim, rewritten) = try both(line)
        #expect(verbatim == String(line.dropLast()))
        #expect(verbatim == rewritten)
    }

    /// The field ends a verbatim line hands out find every value in the line again: each value is the
    /// slice after the previous end's separator, NULLs are where the `\N` is.
    @Test(arguments: [
        "1\t0101702989\tmember_updated\t{\"a\": 1}\n",
        "2\t\\N\tmember_created\t\\N\n",
        "\\N\t\t\t\n",
        "only one field",
    ])
    func verbatimFieldEndsFindEveryValueInTheLine(line: String) throws {
        let row = CopyTextRow()
        let bytes = Array(line.utf8)
        try bytes.withUnsafeBytes { try row.parse($0) }
        let verbatim = try #require(row.verbatimLine.map { Array($0) })
        var found: [String?] = []
        var start = 0
        row.forEachVerbatimFieldEnd { end, isNull in
            let text = String(decoding: verbatim[start..<end], as: UTF8.self)
            found.append(isNull ? (text == "\\N" ? nil : "NULL spelt \(text)") : text)
            start = end + 1
        }
        #expect(start == verbatim.count + 1, "the last field ends where the line does")
        #expect(found == (0..<row.count).map { row.string($0) })
    }

    @Test(arguments: [
        "4\ttab\\there\n",  // escapes the writer writes the same way…
        "5\tback\\\\slash\n",
        "6\tbell\\bform\\ffeed\\vtab\n",  // …and ones it writes as raw bytes
        "7\t\\x41\\101\n",
    ])
    func linesWithEscapesAreRefused(line: String) throws {
        let (verbatim, _) = try both(line)
        #expect(verbatim == nil)
    }
}
