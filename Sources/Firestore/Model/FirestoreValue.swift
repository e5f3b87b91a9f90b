import CutoverSupport

/// A Firestore value (FIRESTORE.md §1): the eleven kinds of `google.firestore.v1.Value`.
public enum FirestoreValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case integer(Int64)
    /// IEEE 754, NaN and ±Infinity included.
    case double(Double)
    /// Microsecond precision: finer input is rounded down, as Firestore stores it.
    case timestamp(Timestamp)
    case string(String)
    case bytes([UInt8])
    /// A document name, `projects/p/databases/(default)/documents/c/d`.
    case reference(String)
    case geoPoint(latitude: Double, longitude: Double)
    case array([FirestoreValue])
    case map([String: FirestoreValue])

    /// The REST key of the kind: `integerValue`, `mapValue`, ….
    public var kindName: String {
        switch self {
        case .null: "nullValue"
        case .boolean: "booleanValue"
        case .integer: "integerValue"
        case .double: "doubleValue"
        case .timestamp: "timestampValue"
        case .string: "stringValue"
        case .bytes: "bytesValue"
        case .reference: "referenceValue"
        case .geoPoint: "geoPointValue"
        case .array: "arrayValue"
        case .map: "mapValue"
        }
    }

    public var mapValue: [String: FirestoreValue]? {
        if case .map(let fields) = self { return fields }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// NaN equals NaN here (as Firestore's equality and ordering treat it); 1 and 1.0 stay different
    /// values (their kinds differ) — numeric comparison lives in `FirestoreValue.compare`.
    public static func == (lhs: FirestoreValue, rhs: FirestoreValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.boolean(let a), .boolean(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
        case (.timestamp(let a), .timestamp(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.bytes(let a), .bytes(let b)): a == b
        case (.reference(let a), .reference(let b)): a == b
        case (.geoPoint(let a1, let a2), .geoPoint(let b1, let b2)): a1 == b1 && a2 == b2
        case (.array(let a), .array(let b)): a == b
        case (.map(let a), .map(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kindName)
        switch self {
        case .null: break
        case .boolean(let value): hasher.combine(value)
        case .integer(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value.isNaN ? .nan : value)
        case .timestamp(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .bytes(let value): hasher.combine(value)
        case .reference(let value): hasher.combine(value)
        case .geoPoint(let latitude, let longitude):
            hasher.combine(latitude)
            hasher.combine(longitude)
        case .array(let values): hasher.combine(values)
        case .map(let fields): hasher.combine(fields)
        }
    }
}

extension FirestoreValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: FirestoreValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, FirestoreValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
