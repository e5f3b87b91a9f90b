import CutoverSupport
import Firestore

/// The Firestore field updates Path A's nightly run produced for an `update` row (LEGACY.md §4):
/// one path per mapped key, enums through the lists (out of range → "unknown"), empty values of
/// birthday, address and contact keys skipped, every other key silently dropped.
public enum PathAUpdatePaths {
    public static func paths(for fields: [String: JSONValue]) -> [FieldPath: FirestoreValue] {
        var paths: [FieldPath: FirestoreValue] = [:]
        for (key, value) in fields where PathAUpdateMapping.reachesFirestore(key: key, value: value) {
            let path = try! FieldPath(parsing: PathAUpdateMapping.paths[key]!.path)
            switch key {
            case "gender": paths[path] = PathAEnums.lenientName(value, in: PathAEnums.genders)
            case "housing_situation": paths[path] = PathAEnums.lenientName(value, in: PathAEnums.housingSituations)
            case "birthday": paths[path] = .string(value.stringValue ?? value.canonicalText)
            default: paths[path] = FirestoreValue(json: value)
            }
        }
        return paths
    }
}

extension FirestoreValue {
    /// A JSON value as Firestore stores it when a Python client writes it.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .boolean(flag)
        case .integer(let number): self = .integer(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let values): self = .array(values.map(FirestoreValue.init(json:)))
        case .object(let fields): self = .map(fields.mapValues(FirestoreValue.init(json:)))
        }
    }
}
