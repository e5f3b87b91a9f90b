import CutoverSupport
import Firestore

/// The `members/{kennitala}` document Path B's webhook writes (LEGACY.md §5), built from the
/// webhook's `data` (a snapshot's `path_b`).
///
/// This is the one transform every part of the toolkit that speaks for Path B calls — the replay's
/// webhook, `verify`'s expectation, the shadow receiver's store, `drain --via webhook` and the demo's
/// seeded documents — so a fix here reaches all of them at once (`PathBTransformAgreementTests`
/// holds them to it).
public enum PathBMemberDocument {
    /// Country ids of foreign addresses as the webhook maps them; others become the id as text.
    static let countries: [Int64: String] = [109: "IS", 354: "IS", 45: "DK", 46: "SE", 47: "NO"]

    /// The document's fields. `serverTime` is `metadata.synced_at` (server time); `functionClock` is the
    /// function's own clock (`metadata.last_modified`).
    public static func fields(
        data: JSONValue, serverTime: Timestamp, functionClock: Timestamp
    ) -> [String: FirestoreValue] {
        func text(_ json: JSONValue?, _ key: String) -> FirestoreValue { .string(json?[key]?.stringValue ?? "") }
        func value(_ json: JSONValue?) -> FirestoreValue {
            switch json {
            case .integer(let number)?: .integer(number)
            case .bool(let flag)?: .boolean(flag)
            case .string(let text)?: .string(text)
            default: .null
            }
        }
        // The function writes `data.get(key, True)`: a flag Django left out counts as consented.
        func flag(_ key: String) -> FirestoreValue { data[key].map { value($0) } ?? .boolean(true) }
        let contact = data["contact_info"]
        func names(_ key: String) -> FirestoreValue {
            guard case .array(let list)? = data[key] else { return .array([]) }
            return .array(list.compactMap { $0["name"]?.stringValue.map(FirestoreValue.string) })
        }
        let kennitala = Kennitala.normalised(data["ssn"]?.stringValue ?? "")
        let joined: FirestoreValue =
            data["date_joined"]?.stringValue.flatMap(Timestamp.init(parsing:)).map(FirestoreValue.timestamp) ?? .null
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
                "reachable": flag("reachable"),
                "groupable": flag("groupable"),
                "housing_situation": value(data["housing_situation"]),
                "addresses": .array(addresses(data)),
            ],
            "membership": [
                "date_joined": joined, "status": "active", "unions": names("unions"), "titles": names("titles"),
            ],
            "django_roles": [
                "is_staff": .boolean(data["is_staff"] == .bool(true)),
                "is_superuser": .boolean(data["is_superuser"] == .bool(true)),
            ],
            "metadata": [
                "synced_at": .timestamp(serverTime), "django_id": value(data["id"]),
                "last_modified": .timestamp(functionClock),
            ],
        ]
    }

    /// `profile.addresses` exactly as §5 builds it: the local address only when it has a street, then
    /// every foreign address in the order sent; every value text except `is_default`.
    static func addresses(_ data: JSONValue) -> [FirestoreValue] {
        var addresses: [FirestoreValue] = []
        let local = data["local_address"]
        let street = sentText(local?["street"])
        // Django sends `{}` for a member without a located address: no entry at all, not an empty one.
        let hasLocalStreet = !street.isEmpty
        if hasLocalStreet {
            addresses.append([
                "street": .string(street), "number": .string(decimalText(local?["number"])),
                "letter": .string(sentText(local?["letter"])),
                "postal_code": .string(decimalText(local?["postal_code"])),
                "city": .string(sentText(local?["city"])), "country": "IS", "is_default": true,
            ])
        }
        if case .array(let foreign)? = data["foreign_addresses"] {
            for address in foreign {
                addresses.append([
                    "street": .string(sentText(address["address"])), "number": "", "letter": "",
                    "postal_code": .string(sentText(address["postal_code"])),
                    "city": .string(sentText(address["municipality"])),
                    "country": .string(countryCode(address["country"])),
                    "is_default": .boolean(address["current"] == .bool(true) && !hasLocalStreet),
                ])
            }
        }
        return addresses
    }

    /// A number or postal code as the function writes it, `str(value or "")`: the decimal text of an
    /// integer (Django sends `map_address.number` and `map_postalcode.code` as ints), a string as sent,
    /// and `""` for absent, null, 0 or an empty string.
    static func decimalText(_ json: JSONValue?) -> String {
        switch json {
        case .integer(let number)?: number == 0 ? "" : String(number)
        case .double(let number)?: number == 0 ? "" : String(number)
        case .string(let text)?: text
        default: ""
        }
    }

    /// A free-text value as sent; an integer (a hand-made payload) as its decimal text; absent or null as `""`.
    static func sentText(_ json: JSONValue?) -> String {
        switch json {
        case .string(let text)?: text
        case .integer(let number)?: String(number)
        case .double(let number)?: String(number)
        default: ""
        }
    }

    /// A foreign address's country id: 109/354 → IS, 45 → DK, 46 → SE, 47 → NO, any other id as
    /// decimal text, `""` when absent. (An id sent as digits in a string is the same id.)
    static func countryCode(_ json: JSONValue?) -> String {
        switch json {
        case .integer(let id)?: countries[id] ?? String(id)
        case .string(let text)?: Int64(text).flatMap { countries[$0] } ?? text
        default: ""
        }
    }

    /// Strip non-digits, drop a leading 354 from ten digits; seven digits are the number, anything
    /// else is left as given.
    public static func normalisedPhone(_ phone: String) -> String {
        var digits = phone.filter { $0.isASCII && $0.isNumber }
        if digits.count == 10 && digits.hasPrefix("354") { digits = String(digits.dropFirst(3)) }
        return digits.count == 7 ? digits : phone
    }
}
