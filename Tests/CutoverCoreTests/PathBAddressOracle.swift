import CutoverCore
import CutoverSupport
import Firestore

/// `profile.addresses` read straight off LEGACY.md §5, independently of the model — what the random
/// payloads' documents are held to. Deliberately plain: one statement per sentence of the spec.
enum PathBAddressOracle {
    /// "decimal text of what was sent …, `""` when absent, null or 0".
    static func decimal(_ value: JSONValue?) -> String {
        if case .integer(let number)? = value { return number == 0 ? "" : "\(number)" }
        if case .string(let text)? = value { return text }
        return ""
    }

    /// "as sent": text stays text; an int (a hand-made payload) is its decimal text; absent is "".
    static func asSent(_ value: JSONValue?) -> String {
        if case .integer(let number)? = value { return "\(number)" }
        return value?.stringValue ?? ""
    }

    static func country(_ value: JSONValue?) -> String {
        let id: Int64? = value?.integerValue ?? value?.stringValue.flatMap { Int64($0) }
        switch id {
        case 109?, 354?: return "IS"
        case 45?: return "DK"
        case 46?: return "SE"
        case 47?: return "NO"
        case let other?: return "\(other)"
        case nil: return value?.stringValue ?? ""
        }
    }

    static func addresses(_ data: JSONValue) -> FirestoreValue {
        var list: [FirestoreValue] = []
        let local = data["local_address"]
        let street = asSent(local?["street"])
        if street != "" {
            list.append(
                .map([
                    "street": .string(street), "number": .string(decimal(local?["number"])),
                    "letter": .string(asSent(local?["letter"])),
                    "postal_code": .string(decimal(local?["postal_code"])), "city": .string(asSent(local?["city"])),
                    "country": "IS", "is_default": true,
                ]))
        }
        if case .array(let foreign)? = data["foreign_addresses"] {
            for address in foreign {
                list.append(
                    .map([
                        "street": .string(asSent(address["address"])), "number": "", "letter": "",
                        "postal_code": .string(asSent(address["postal_code"])),
                        "city": .string(asSent(address["municipality"])),
                        "country": .string(country(address["country"])),
                        "is_default": .boolean(address["current"] == .bool(true) && street == ""),
                    ]))
            }
        }
        return .array(list)
    }
}
