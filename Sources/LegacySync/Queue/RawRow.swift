import Postgres

/// One row of the queue table as text values in table column order (PostgreSQL's text output form;
/// SQLite values converted to text). Sources hand rows out without copying; a row is valid only
/// inside the callback that receives it.
public protocol RawRow {
    var fieldCount: Int { get }
    func string(_ field: Int) -> String?
    func withBytes<R>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R
}

extension CopyTextRow: RawRow {
    public var fieldCount: Int { count }
}

/// A row already held as Strings (tests, small sources).
public struct StringRow: RawRow {
    public let values: [String?]
    public init(_ values: [String?]) { self.values = values }
    public var fieldCount: Int { values.count }
    public func string(_ field: Int) -> String? { values[field] }
    public func withBytes<R>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard var text = values[field] else { return try body(nil) }
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
