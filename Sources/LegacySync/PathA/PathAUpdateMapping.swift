import CutoverSupport

/// Which `fields_changed` keys Path A's nightly run turned into Firestore paths (LEGACY.md §4).
/// Every other key, and mapped keys with empty values, were silently dropped.
public enum PathAUpdateMapping {
    /// Django field → Firestore path, and whether an empty value is skipped.
    public static let paths: [String: (path: String, skipsEmpty: Bool)] = [
        "name": ("profile.name", false),
        "birthday": ("profile.birthday", true),
        "gender": ("profile.gender", false),
        "housing_situation": ("profile.housingSituation", false),
        "street_address": ("profile.address.street", true),
        "postal_code": ("profile.address.postalcode", true),
        "city": ("profile.address.city", true),
        "email": ("profile.email", true),
        "phone": ("profile.phone", true),
    ]

    /// Does this key/value reach Firestore in an update?
    public static func reachesFirestore(key: String, value: JSONValue) -> Bool {
        guard let mapping = paths[key] else { return false }
        return !(mapping.skipsEmpty && value.isEmptyLike)
    }

    /// The keys of an update that never reached Firestore.
    public static func droppedKeys(_ fields: [String: JSONValue]) -> [String] {
        fields.filter { !reachesFirestore(key: $0.key, value: $0.value) }.map(\.key).sorted()
    }

    /// True when no key of the update reached Firestore (yet the row counted as success).
    public static func dropsEverything(_ fields: [String: JSONValue]) -> Bool {
        !fields.contains { reachesFirestore(key: $0.key, value: $0.value) }
    }
}
