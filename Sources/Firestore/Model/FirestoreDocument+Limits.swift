import CutoverSupport

/// Firestore's hard limits (FIRESTORE.md §1), checked before a write is accepted, with the storage
/// size computed as Firestore documents it (https://cloud.google.com/firestore/docs/storage-size).
extension FirestoreDocument {
    public static let maximumSize = 1_048_576
    public static let maximumFieldValueSize = 1_048_487
    public static let maximumFieldNameSize = 1_500
    public static let maximumDepth = 20

    /// Name size (segments + 1 each, + 16) + fields + 32.
    public var storageSize: Int {
        let nameSize = path.split(separator: "/").reduce(16) { $0 + $1.utf8.count + 1 }
        return nameSize + Self.mapSize(fields) + 32
    }

    /// Throws INVALID_ARGUMENT naming the document and what is over the limit.
    public func validateLimits() throws {
        try Self.validate(fields, depth: 1, path: [], document: path)
        let size = storageSize
        if size > Self.maximumSize {
            throw FirestoreError.invalidArgument(
                "document is \(size) bytes, over the 1 MiB (1,048,576 bytes) limit", document: path)
        }
    }

    private static func validate(_ map: [String: FirestoreValue], depth: Int, path: [String], document: String) throws {
        for (key, value) in map {
            let here = path + [key]
            if key.isEmpty || key.utf8.count > maximumFieldNameSize {
                throw FirestoreError.invalidArgument(
                    "field name at '\(FieldPath(here))' must be 1 to 1,500 bytes", document: document)
            }
            if key.hasPrefix("__") && key.hasSuffix("__") && key.count >= 4 {
                throw FirestoreError.invalidArgument("field name '\(key)' is reserved (__.*__)", document: document)
            }
            try validate(value, depth: depth, path: here, document: document)
        }
    }

    private static func validate(_ value: FirestoreValue, depth: Int, path: [String], document: String) throws {
        switch value {
        case .map(let inner):
            guard depth < maximumDepth else {
                throw FirestoreError.invalidArgument(
                    "'\(FieldPath(path))' nests maps and arrays deeper than 20 levels", document: document)
            }
            try validate(inner, depth: depth + 1, path: path, document: document)
        case .array(let values):
            guard depth < maximumDepth else {
                throw FirestoreError.invalidArgument(
                    "'\(FieldPath(path))' nests maps and arrays deeper than 20 levels", document: document)
            }
            for element in values {
                if case .array = element {
                    throw FirestoreError.invalidArgument(
                        "'\(FieldPath(path))' holds an array directly inside an array", document: document)
                }
                try validate(element, depth: depth + 1, path: path, document: document)
            }
        case .string, .bytes:
            if valueSize(value) > maximumFieldValueSize {
                throw FirestoreError.invalidArgument(
                    "'\(FieldPath(path))' is over the 1,048,487-byte field value limit", document: document)
            }
        case .timestamp(let time):
            guard time >= Timestamp(parsing: "0001-01-01T00:00:00Z")!,
                time < Timestamp(parsing: "9999-12-31T23:59:59.999999Z")!.adding(seconds: 1)
            else {
                throw FirestoreError.invalidArgument(
                    "'\(FieldPath(path))' is a timestamp outside years 0001–9999", document: document)
            }
        case .geoPoint(let latitude, let longitude):
            guard (-90...90).contains(latitude), (-180...180).contains(longitude) else {
                throw FirestoreError.invalidArgument(
                    "'\(FieldPath(path))' is a geo point out of range", document: document)
            }
        default: break
        }
    }

    static func mapSize(_ map: [String: FirestoreValue]) -> Int {
        map.reduce(0) { $0 + $1.key.utf8.count + 1 + valueSize($1.value) }
    }

    static func valueSize(_ value: FirestoreValue) -> Int {
        switch value {
        case .null, .boolean: 1
        case .integer, .double, .timestamp: 8
        case .geoPoint: 16
        case .string(let text): text.utf8.count + 1
        case .bytes(let bytes): bytes.count
        case .reference(let name): name.split(separator: "/").reduce(16) { $0 + $1.utf8.count + 1 }
        case .array(let values): values.reduce(0) { $0 + valueSize($1) }
        case .map(let fields): mapSize(fields)
        }
    }
}
