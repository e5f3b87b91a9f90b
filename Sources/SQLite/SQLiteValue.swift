/// A value as SQLite stores it.
public enum SQLiteValue: Equatable, Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The value as text: integers and reals in decimal, blobs as lowercase hex, NULL as nil.
    public var textValue: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        case .blob(let bytes):
            bytes.map { byte in
                let digits = Array("0123456789abcdef")
                return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
            }.joined()
        }
    }

    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .text(let value): Int64(value)
        case .real(let value): Int64(exactly: value)
        default: nil
        }
    }
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue {
    /// Text or NULL.
    public init(_ text: String?) { self = text.map(SQLiteValue.text) ?? .null }
    public init(_ integer: Int) { self = .integer(Int64(integer)) }
}
