import CutoverSupport
import Firestore

/// The `members/{ssn}` document Path A's nightly run wrote for a `create` row (LEGACY.md §4): built
/// from the flat JSON of Django's `/api/sync/member/<ssn>/` (a snapshot's `path_a`).
public enum PathACreateDocument {
    /// The document's fields. `serverTime` stands in for `metadata.last_sync` (and `created_at`),
    /// which the run set to server time. Throws `PathAEnums.OutOfRange` for an int gender outside 0–3,
    /// as the legacy run did (the row failed and no document was written).
    public static func fields(memberJSON member: JSONValue, serverTime: Timestamp) throws -> [String: FirestoreValue] {
        func text(_ key: String) -> String { member[key]?.stringValue ?? "" }
        var profile: [String: FirestoreValue] = [
            "name": .string(text("name")),
            "birthday": member["birthday"]?.stringValue.map(FirestoreValue.string) ?? .null,
            "gender": try PathAEnums.strictName(member["gender"] ?? .null, in: PathAEnums.genders, field: "gender"),
            "email": .string(text("email")),
            "phone": .string(text("phone")),  // as stored, not normalised
        ]
        if !text("street_address").isEmpty {
            profile["address"] = .map([
                "street": .string(text("street_address")), "postalcode": .string(text("postal_code")),
                "city": .string(text("city")),
            ])
        }
        return [
            "kennitala": .string(text("ssn")),
            "profile": .map(profile),
            "membership": [
                "status": "active", "joined": member["date_joined"]?.stringValue.map(FirestoreValue.string) ?? .null,
            ],
            "privacy": [
                "reachable": .boolean(member["reachable"] == .bool(true)),
                "groupable": .boolean(member["groupable"] == .bool(true)),
            ],
            "metadata": [
                "created_at": .timestamp(serverTime), "last_sync": .timestamp(serverTime), "source": "django",
            ],
        ]
    }
}
