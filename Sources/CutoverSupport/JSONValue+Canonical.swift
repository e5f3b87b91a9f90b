/// The canonical text of a JSON value: no whitespace, object keys sorted, strings escaped minimally
/// (`"`, `\`, control characters), non-ASCII kept as UTF-8. The same value always gives the same bytes.
extension JSONValue {
    public var canonicalText: String {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    public func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number):
            if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
                output.append(contentsOf: String(Int64(number)).utf8)
                output.append(contentsOf: ".0".utf8)
            } else if number.isFinite {
                output.append(contentsOf: String(number).utf8)
            } else {
                output.append(contentsOf: "null".utf8)  // JSON has no NaN or infinity
            }
        case .string(let text): Self.writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            for (offset, key) in fields.keys.sorted().enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                fields[key]!.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Copies the runs between escapes in one go: almost no string needs an escape, and the byte-by-byte
    /// append it replaces was the top entry of verify's profile while staging the register.
    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices
            where bytes[index] < 0x20 || bytes[index] == UInt8(ascii: "\"") || bytes[index] == 92 {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(of: bytes[index], to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(of byte: UInt8, to output: inout [UInt8]) {
        output.append(92)
        switch byte {
        case UInt8(ascii: "\""), 92: output.append(byte)
        case 10: output.append(UInt8(ascii: "n"))
        case 13: output.append(UInt8(ascii: "r"))
        case 9: output.append(UInt8(ascii: "t"))
        default:
            let digits: StaticString = "0123456789abcdef"
            output.append(contentsOf: [UInt8(ascii: "u"), 48, 48])
            output.append(digits.utf8Start[Int(byte >> 4)])
            output.append(digits.utf8Start[Int(byte & 15)])
        }
    }
}

extension JSONValue {
    /// Canonical content, laid out for people: two-space indent, one key per line, sorted keys.
    /// Byte-identical for identical values, like `canonicalText`.
    public var prettyText: String {
        var output: [UInt8] = []
        writePretty(to: &output, depth: 0)
        output.append(10)
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes `prettyText` a piece at a time, with one top-level value — the string `placeholder` —
    /// replaced by an array whose elements `elements` hands over one by one: a report with millions of
    /// rows never holds them as one tree. The same bytes as the whole tree's `prettyText`.
    public func writePrettyText(
        replacing placeholder: String, withArray elements: ((JSONValue) throws -> Void) throws -> Void,
        to write: (String) throws -> Void
    ) throws {
        let text = prettyText
        guard let range = text.range(of: JSONValue.string(placeholder).canonicalText) else { return try write(text) }
        try write(String(text[..<range.lowerBound]))
        var first = true
        try withoutActuallyEscaping(write) { write in
            try elements { element in
                var output = Array((first ? "[\n    " : ",\n    ").utf8)
                element.writePretty(to: &output, depth: 2)
                try write(String(decoding: output, as: UTF8.self))
                first = false
            }
        }
        try write(first ? "[]" : "\n  ]")
        try write(String(text[range.upperBound...]))
    }

    private func writePretty(to output: inout [UInt8], depth: Int) {
        let indent = Array(repeating: UInt8(ascii: " "), count: (depth + 1) * 2)
        let closing = Array(repeating: UInt8(ascii: " "), count: depth * 2)
        switch self {
        case .array(let elements) where !elements.isEmpty:
            output.append(contentsOf: Array("[\n".utf8))
            for (offset, element) in elements.enumerated() {
                output.append(contentsOf: indent)
                element.writePretty(to: &output, depth: depth + 1)
                output.append(contentsOf: Array((offset < elements.count - 1 ? ",\n" : "\n").utf8))
            }
            output.append(contentsOf: closing)
            output.append(UInt8(ascii: "]"))
        case .object(let fields) where !fields.isEmpty:
            output.append(contentsOf: Array("{\n".utf8))
            let keys = fields.keys.sorted()
            for (offset, key) in keys.enumerated() {
                output.append(contentsOf: indent)
                Self.writeString(key, to: &output)
                output.append(contentsOf: Array(": ".utf8))
                fields[key]!.writePretty(to: &output, depth: depth + 1)
                output.append(contentsOf: Array((offset < keys.count - 1 ? ",\n" : "\n").utf8))
            }
            output.append(contentsOf: closing)
            output.append(UInt8(ascii: "}"))
        default:
            write(to: &output)
        }
    }
}
