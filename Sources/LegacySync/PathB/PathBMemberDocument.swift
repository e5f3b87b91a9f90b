import CutoverSupport
import Firestore

/// The `members/{kennitala}` document Path B's webhook writes (LEGACY.md §5), built from the
/// webhook's `data` (a snapshot's `path_b`).
public enum PathBMemberDocument {
    /// Country ids of foreign addresses as the webhook maps them; others become the id as text.
    static let countries: [Int64: String] = [109: "IS", 354: "IS", 45: "DK", 46: "SE", 47: "NO"]

    /// The document's fields. `serverTime` is `metadata.synced_at` (server time); `functionClock` is the
    /// function's own clock (`metadata.last_modified`).
    public static func fields(data: JSONValue, serverTime: Timestamp, functionClock: Timestamp) -> [String: FirestoreValue] {
        func text(_ json: JSONValue?, _ key: String) -> FirestoreValue { .string(json?[key]?.stringValue ?? "") }
        func value(_ json: JSONValue?) -> FirestoreValue {
            switch json {
            case .integer(let number)?: .integer(number)
            case .bool(let flag)?: .boolean(flag)
            case .string(let text)?: .string(text)
            default: .null
            }
        }
        let contact = data["contact_info"]
        var addresses: [FirestoreValue] = []
        if let local = data["local_address"], local != .null {
            addresses.append([
                "street": text(local, "street"), "number": value(local["number"]), "letter": text(local, "letter"),
                "postal_code": text(local, "postal_code"), "city": text(local, "city"), "country": "IS", "is_default": true,
            ])
        }
        if case .array(let foreign)? = data["foreign_addresses"] {
            for address in foreign {
                var country = FirestoreValue.string("")
                if case .integer(let id)? = address["country"] { country = .string(countries[id] ?? String(id)) }
                addresses.append([
                    "street": text(address, "address"), "number": .null, "letter": "", "postal_code": text(address, "postal_code"),
                    "city": text(address, "municipality"), "country": country, "is_default": false,
                ])
            }
        }
        func names(_ key: String) -> FirestoreValue {
            guard case .array(let list)? = data[key] else { return .array([]) }
            return .array(list.compactMap { $0["name"]?.stringValue.map(FirestoreValue.string) })
        }
        let kennitala = Kennitala.normalised(data["ssn"]?.stringValue ?? "")
        let joined: FirestoreValue = data["date_joined"]?.stringValue.flatMap(Timestamp.init(parsing:)).map(FirestoreValue.timestamp) ?? .null
        return [
            "profile": [
                "kennitala": .string(kennitala),
                "name": text(data, "name"),
                "birthday": value(data["birthday"]),
                "email": text(contact, "email"),
                "phone": .string(normalisedPhone(contact?["phone"]?.stringValue ?? "")),
                "foreign_phone": text(contact, "foreign_phone"),
                "facebook": text(contact, "facebook"),
                "gender": value(data["gender"]),
                "reachable": .boolean(data["reachable"] == .bool(true)),
                "groupable": .boolean(data["groupable"] == .bool(true)),
                "housing_situation": value(data["housing_situation"]),
                "addresses": .array(addresses),
            ],
            "membership": ["date_joined": joined, "status": "active", "unions": names("unions"), "titles": names("titles")],
            "django_roles": ["is_staff": .boolean(data["is_staff"] == .bool(true)), "is_superuser": .boolean(data["is_superuser"] == .bool(true))],
            "metadata": ["synced_at": .timestamp(serverTime), "django_id": value(data["id"]), "last_modified": .timestamp(functionClock)],
        ]
    }

    /// Strip non-digits, drop a leading 354 from ten digits; seven digits are the number, anything
    /// else is left as given.
    public static func normalisedPhone(_ phone: String) -> String {
        var digits = phone.filter { $0.isASCII && $0.isNumber }
        if digits.count == 10 && digits.hasPrefix("354") { digits = String(digits.dropFirst(3)) }
        return digits.count == 7 ? digits : phone
    }
}
