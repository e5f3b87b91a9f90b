import CutoverSupport
import Firestore

/// The enum lists Path A's nightly run mapped Django ints through (LEGACY.md §4, status document).
public enum PathAEnums {
    public static let genders = ["unknown", "male", "female", "other"]
    public static let housingSituations = ["unknown", "owner", "rental", "cooperative", "family", "other", "homeless"]

    public struct OutOfRange: Error, CustomStringConvertible, Sendable {
        public let field: String
        public let value: Int64
        public var description: String { "invalid \(field) value \(value)" }
    }

    /// `create`: an int outside the list raised an error (the row failed).
    public static func strictName(_ value: JSONValue, in list: [String], field: String) throws -> FirestoreValue {
        switch value {
        case .integer(let number):
            guard number >= 0, number < list.count else { throw OutOfRange(field: field, value: number) }
            return .string(list[Int(number)])
        case .string(let text): return .string(text)
        default: return .string(list[0])
        }
    }

    /// `update`: an int outside the list became "unknown"; a string passed through.
    public static func lenientName(_ value: JSONValue, in list: [String]) -> FirestoreValue {
        switch value {
        case .integer(let number) where number >= 0 && number < list.count: .string(list[Int(number)])
        case .string(let text): .string(text)
        default: .string(list[0])
        }
    }
}
