/// A built-in column type whose values `PostgresBinaryCopyWriter` sends in COPY's binary format, each
/// encoded from the text PostgreSQL prints for it (what a snapshot stores).
///
/// Why: loading a million queue rows, the server spent 1.56–1.58 s of CPU parsing COPY text and 1.01–1.07 s
/// taking the same rows in binary (Benchmarks/results/issue21-restore-statement-log.md): integers and
/// timestamps then arrive as the integers PostgreSQL stores. The layouts are those of the types' `*_send`
/// functions, which the tests compare byte for byte. A value whose text is not exactly the form PostgreSQL
/// prints (a space around a number, a `true`, a timestamp without its offset) is refused, never guessed at,
/// so the caller can send the text instead and leave the parsing to PostgreSQL.
public enum PostgresBinaryColumn: Sendable, Equatable, CaseIterable {
    case smallint, integer, bigint, boolean
    /// `text` and `character varying`: the UTF-8 bytes (the server checks the encoding and the length limit).
    case text
    /// The text as is; `jsonb` adds its format version byte (1) in front.
    case json, jsonb
    case timestampWithTimeZone, timestampWithoutTimeZone, date, uuid

    /// The type with this OID, when it is one of these. Built-in OIDs are fixed in PostgreSQL's catalog
    /// (`pg_type.dat`); a domain or any other type has its own OID and is not one of them.
    public init?(typeOID: UInt32) {
        switch typeOID {
        case 21: self = .smallint
        case 23: self = .integer
        case 20: self = .bigint
        case 16: self = .boolean
        case 25, 1043: self = .text
        case 114: self = .json
        case 3802: self = .jsonb
        case 1184: self = .timestampWithTimeZone
        case 1114: self = .timestampWithoutTimeZone
        case 1082: self = .date
        case 2950: self = .uuid
        default: return nil
        }
    }

    /// Appends one field — its length as a 32-bit big-endian integer, then its bytes — encoded from `text`;
    /// false (and `buffer` as it was) when `text` is not a form this encoder writes exactly.
    public func append(_ text: UnsafeRawBufferPointer, to buffer: inout [UInt8]) -> Bool {
        switch self {
        case .smallint:
            guard let value = Self.integer(text, as: Int16.self) else { return false }
            Self.appendFixed(value, to: &buffer)
        case .integer:
            guard let value = Self.integer(text, as: Int32.self) else { return false }
            Self.appendFixed(value, to: &buffer)
        case .bigint:
            guard let value = Self.integer(text, as: Int64.self) else { return false }
            Self.appendFixed(value, to: &buffer)
        case .boolean:
            guard text.count == 1, text[0] == UInt8(ascii: "t") || text[0] == UInt8(ascii: "f") else { return false }
            Self.appendFixed(UInt8(text[0] == UInt8(ascii: "t") ? 1 : 0), to: &buffer)
        case .text, .json:
            Self.appendLength(text.count, to: &buffer)
            buffer.append(contentsOf: text)
        case .jsonb:
            Self.appendLength(text.count + 1, to: &buffer)
            buffer.append(1)
            buffer.append(contentsOf: text)
        case .timestampWithTimeZone, .timestampWithoutTimeZone:
            guard
                let value = PostgresISODateTime.timestamp(text, withOffset: self == .timestampWithTimeZone)
            else { return false }
            Self.appendFixed(value, to: &buffer)
        case .date:
            guard let value = PostgresISODateTime.date(text) else { return false }
            Self.appendFixed(value, to: &buffer)
        case .uuid:
            guard let bytes = Self.uuid(text) else { return false }
            Self.appendLength(16, to: &buffer)
            withUnsafeBytes(of: bytes) { buffer.append(contentsOf: $0) }
        }
        return true
    }

    /// An optional sign, then ASCII digits (leading zeros allowed), within `T`'s range.
    static func integer<T: FixedWidthInteger>(_ text: UnsafeRawBufferPointer, as: T.Type) -> T? {
        var index = 0
        var negative = false
        if text.count > 0, text[0] == UInt8(ascii: "-") || text[0] == UInt8(ascii: "+") {
            negative = text[0] == UInt8(ascii: "-")
            index = 1
        }
        guard index < text.count else { return nil }
        var value = T.zero
        while index < text.count {
            let digit = text[index] &- 48
            guard digit < 10 else { return nil }
            // Accumulated negative so that T.min, whose magnitude T cannot hold, still parses.
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(T(digit)) : shifted.addingReportingOverflow(T(digit))
            guard !overflow, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits of either case), as its 16 bytes.
    static func uuid(_ text: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        guard text.count == 36 else { return nil }
        var halves: (UInt64, UInt64) = (0, 0)
        var nibbles = 0
        for (index, byte) in text.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if nibbles < 16 {
                halves.0 = halves.0 << 4 | UInt64(nibble)
            } else {
                halves.1 = halves.1 << 4 | UInt64(nibble)
            }
            nibbles += 1
        }
        return (halves.0.bigEndian, halves.1.bigEndian)
    }

    private static func appendFixed<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        appendLength(MemoryLayout<T>.size, to: &buffer)
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    static func appendLength(_ length: Int, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: Int32(truncatingIfNeeded: length).bigEndian) { buffer.append(contentsOf: $0) }
    }
}
