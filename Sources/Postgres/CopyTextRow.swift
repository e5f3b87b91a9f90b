/// One row of PostgreSQL's COPY text format, split into fields and unescaped.
///
/// The parser reuses its storage from row to row, so streaming a large table allocates almost
/// nothing per row. A row is valid only inside the callback that receives it.
public final class CopyTextRow {
    private var storage: [UInt8] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var nulls: [Bool] = []

    public init() {}

    public var count: Int { starts.count }

    public func isNull(_ field: Int) -> Bool { nulls[field] }

    /// The field's unescaped bytes, or nil for SQL NULL.
    public func withBytes<R>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        if nulls[field] { return try body(nil) }
        return try storage.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[starts[field]..<ends[field]]))
        }
    }

    /// The field as a String, or nil for SQL NULL.
    public func string(_ field: Int) -> String? {
        if nulls[field] { return nil }
        return String(decoding: storage[starts[field]..<ends[field]], as: UTF8.self)
    }

    public var strings: [String?] { (0..<count).map(string) }

    /// Parses one line as libpq's `PQgetCopyData` returns it (with its trailing newline).
    public func parse(_ line: UnsafeRawBufferPointer) throws {
        storage.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        nulls.removeAll(keepingCapacity: true)
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        var index = 0
        var fieldStart = 0
        var fieldIsNullMarker = false
        starts.append(0)
        func closeField() {
            // `\N` alone is NULL; an escaped backslash followed by N is the text "\N".
            nulls.append(fieldIsNullMarker && storage.count - fieldStart == 0)
            ends.append(storage.count)
        }
        while index < end {
            let byte = line[index]
            if byte == UInt8(ascii: "\t") {
                closeField()
                fieldStart = storage.count
                fieldIsNullMarker = false
                starts.append(storage.count)
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "\\"), index + 1 < end else {
                storage.append(byte)
                index += 1
                continue
            }
            let next = line[index + 1]
            index += 2
            switch next {
            case UInt8(ascii: "N") where storage.count == fieldStart && (index == end || line[index] == 9):
                fieldIsNullMarker = true
            case UInt8(ascii: "b"): storage.append(8)
            case UInt8(ascii: "f"): storage.append(12)
            case UInt8(ascii: "n"): storage.append(10)
            case UInt8(ascii: "r"): storage.append(13)
            case UInt8(ascii: "t"): storage.append(9)
            case UInt8(ascii: "v"): storage.append(11)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(next - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[index]) {
                    value = value * 8 + Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                storage.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                while digits < 2, index < end, let digit = Self.hexValue(line[index]) {
                    value = value * 16 + digit
                    index += 1
                    digits += 1
                }
                storage.append(UInt8(truncatingIfNeeded: value))
            default:
                storage.append(next)
            }
        }
        closeField()
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
