/// One row of PostgreSQL's COPY text format, split into fields and unescaped.
///
/// Fields without escapes are not copied: they point into the line libpq handed over. Only fields
/// with backslash escapes are unescaped into scratch storage that is reused from row to row. So a
/// row is valid only inside the callback that receives it, and streaming a large table allocates
/// almost nothing per row.
public final class CopyTextRow {
    private struct Field {
        var start: Int
        var end: Int
        /// The bytes live in `scratch` (unescaped) rather than in the line.
        var inScratch: Bool
        var isNull: Bool
    }

    private var line = UnsafeRawBufferPointer(start: nil, count: 0)
    private var fields: [Field] = []
    private var scratch: [UInt8] = []
    /// The line's length without its newline.
    private var lineEnd = 0
    /// Some field other than a NULL had backslash escapes.
    private var unescapedAny = false

    public init() {}

    /// The line as libpq handed it over, without its newline, when it is byte for byte what
    /// `PostgresCopyWriter` writes for the same fields: when no field needed unescaping (`\N` aside).
    /// Otherwise nil, because PostgreSQL also escapes `\b`, `\f` and `\v`, which the writer passes
    /// through as bytes. Lets a caller that re-emits COPY text skip re-escaping nearly every row.
    public var verbatimLine: UnsafeRawBufferPointer? {
        unescapedAny ? nil : UnsafeRawBufferPointer(rebasing: line[0..<lineEnd])
    }

    public var count: Int { fields.count }

    /// For a row whose `verbatimLine` is not nil: each field's end in that line (the offset of the tab or
    /// newline after it) and whether it is NULL, in field order. What a reader of the line needs to find
    /// the values again without parsing it: each starts one byte after the previous one's end.
    public func forEachVerbatimFieldEnd(_ body: (_ end: Int, _ isNull: Bool) throws -> Void) rethrows {
        precondition(!unescapedAny, "the row has escaped fields: its values are not slices of its line")
        for field in fields { try body(field.end, field.isNull) }
    }

    public func isNull(_ field: Int) -> Bool { fields[field].isNull }

    /// The field's unescaped bytes, or nil for SQL NULL.
    public func withBytes<R>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        let entry = fields[field]
        if entry.isNull { return try body(nil) }
        if !entry.inScratch { return try body(UnsafeRawBufferPointer(rebasing: line[entry.start..<entry.end])) }
        return try scratch.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[entry.start..<entry.end]))
        }
    }

    /// The field as a String, or nil for SQL NULL.
    public func string(_ field: Int) -> String? {
        withBytes(field) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    public var strings: [String?] { (0..<count).map(string) }

    /// Parses one line as libpq's `PQgetCopyData` returns it (with its trailing newline). The line
    /// must stay valid while the row is used.
    public func parse(_ line: UnsafeRawBufferPointer) throws {
        self.line = line
        fields.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        unescapedAny = false
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        lineEnd = end
        var start = 0
        while true {
            // Find the field's end and whether it has escapes.
            var index = start
            var escaped = false
            while true {
                index = Self.firstTabOrBackslash(in: line, from: index, end: end)
                if index >= end || line[index] == 9 { break }
                escaped = true
                index += 2
            }
            let fieldEnd = min(index, end)
            if !escaped {
                fields.append(Field(start: start, end: fieldEnd, inScratch: false, isNull: false))
            } else if fieldEnd - start == 2 && line[start + 1] == UInt8(ascii: "N") {
                // Where the `\N` is: `forEachVerbatimFieldEnd` hands its end out.
                fields.append(Field(start: start, end: fieldEnd, inScratch: false, isNull: true))
            } else {
                unescapedAny = true
                let scratchStart = scratch.count
                unescape(start, fieldEnd)
                fields.append(Field(start: scratchStart, end: scratch.count, inScratch: true, isNull: false))
            }
            if fieldEnd >= end { break }
            start = fieldEnd + 1
        }
    }

    /// The offset of the first tab or backslash in `line[from..<end]`, or `end`.
    ///
    /// Eight bytes at a time (a word with a byte equal to 9 or 92 has a zero byte after XOR with that
    /// byte repeated; the lowest such byte is exact): a queue row's line is ~130 bytes in ten fields.
    /// `snapshot --archive` of 1,000,000 rows, perf at 999 Hz, one run each: the parse 115 samples
    /// byte by byte, 73 with this.
    static func firstTabOrBackslash(in line: UnsafeRawBufferPointer, from: Int, end: Int) -> Int {
        var index = from
        if let base = line.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= end {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let tabs = word ^ (ones &* 9)
                let backslashes = word ^ (ones &* 92)
                let found = ((tabs &- ones) & ~tabs | (backslashes &- ones) & ~backslashes) & highs
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < end {
            let byte = line[index]
            if byte == 9 || byte == 92 { return index }
            index += 1
        }
        return index
    }

    /// Appends the unescaped bytes of `line[start..<end]` to `scratch`.
    private func unescape(_ start: Int, _ end: Int) {
        var index = start
        while index < end {
            let byte = line[index]
            guard byte == 92, index + 1 < end else {
                scratch.append(byte)
                index += 1
                continue
            }
            let next = line[index + 1]
            index += 2
            switch next {
            case UInt8(ascii: "b"): scratch.append(8)
            case UInt8(ascii: "f"): scratch.append(12)
            case UInt8(ascii: "n"): scratch.append(10)
            case UInt8(ascii: "r"): scratch.append(13)
            case UInt8(ascii: "t"): scratch.append(9)
            case UInt8(ascii: "v"): scratch.append(11)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(next - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[index]) {
                    value = value * 8 + Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                scratch.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                while digits < 2, index < end, let digit = Self.hexValue(line[index]) {
                    value = value * 16 + digit
                    index += 1
                    digits += 1
                }
                scratch.append(UInt8(truncatingIfNeeded: value))
            default:
                scratch.append(next)
            }
        }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
