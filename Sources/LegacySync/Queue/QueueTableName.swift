import CutoverSupport
import Foundation

/// A schema-qualified table name, quoted whenever it goes into SQL.
public struct QueueTableName: Sendable, Equatable, CustomStringConvertible {
    public static let defaultName = QueueTableName(schema: "public", table: "membership_membersyncqueue")

    public let schema: String
    public let table: String

    public init(schema: String, table: String) {
        self.schema = schema
        self.table = table
    }

    /// Parses `table` or `schema.table` (no quoting needed on the command line).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1 where !parts[0].isEmpty: self.init(schema: "public", table: parts[0])
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty: self.init(schema: parts[0], table: parts[1])
        default:
            throw CutoverError(.input, "invalid table name '\(text)': expected TABLE or SCHEMA.TABLE")
        }
    }

    public var description: String { "\(schema).\(table)" }

    /// `"schema"."table"` for PostgreSQL.
    public var quoted: String { "\(Self.quote(schema)).\(Self.quote(table))" }

    /// Double-quotes an identifier, doubling embedded quotes.
    public static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Single-quotes a string literal, doubling embedded quotes.
    public static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
