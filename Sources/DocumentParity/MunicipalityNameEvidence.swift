import Firestore

/// Evidence of the city-name difference (LEGACY.md §3): where both paths wrote an address with the
/// same postal code, Path A's city is the simple address's ("Reykjavík") and Path B's the registry's
/// official municipality name ("Reykjavíkurborg"). City names and postal codes are not personal
/// data, so the most frequent pair is shown as it is.
package struct MunicipalityNameEvidence {
    package private(set) var members = 0
    private var pairs: [String: Int] = [:]

    package init() {}

    private static let addressA = FieldPath(["profile", "address"])
    private static let addressesB = FieldPath(["profile", "addresses"])

    package mutating func record(a: FirestoreDocument?, b: FirestoreDocument?) {
        guard case .map(let simple)? = a?.value(at: Self.addressA),
            case .array(let addresses)? = b?.value(at: Self.addressesB),
            case .string(let cityA)? = simple["city"], case .string(let codeA)? = simple["postalcode"]
        else { return }
        for case .map(let local) in addresses
        where local["is_default"] == .boolean(true) && local["country"] == .string("IS") {
            guard case .string(let cityB)? = local["city"], local["postal_code"] == .string(codeA),
                !cityB.isEmpty, cityA != cityB
            else { continue }
            members += 1
            pairs["\(codeA) \u{1F}\(cityA)\u{1F}\(cityB)", default: 0] += 1
        }
    }

    package var evidence: String {
        guard let top = pairs.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else {
            return "no member whose two addresses share a postal code differs in the city's name"
        }
        let parts = top.key.split(separator: "\u{1F}").map(String.init)
        return
            "\(members) member\(members == 1 ? "" : "s") with the same postal code on both sides differ in the city's "
            + "name; "
            + "most often \(parts[0].trimmingCharacters(in: .whitespaces)): \"\(parts[1])\" (A) vs \"\(parts[2])\" "
            + "(B), \(top.value) times"
    }
}
