import CutoverCore
import CutoverSupport
import LegacySync

/// Random webhook payloads shaped as Django's signal handler builds them, and as hand-made or older
/// senders do: numbers and postal codes as ints and as strings, 0, null or absent; local addresses
/// absent, null, `{}`, without a street or whole; none to several foreign addresses with every
/// country id the webhook maps and some it does not; 9999 placeholder members.
/// Seeded (SplitMix64), so a failing payload comes back with the same seed.
struct PathBPayloadGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    private mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    private mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

    /// One of the forms a number or postal code arrives in.
    private mutating func numberLike(_ range: ClosedRange<Int>) -> JSONValue? {
        switch int(0...6) {
        case 0: nil  // absent
        case 1: .null
        case 2: .integer(0)
        case 3: .string(String(int(range)))
        case 4: .string("")
        default: .integer(Int64(int(range)))  // as Django sends it, most often
        }
    }

    /// A kennitala as Django stores it (ten digits), one in ten a 9999 placeholder; and the form the
    /// delivery names it in (hyphenated one time in four).
    mutating func kennitala() -> (ssn: String, named: String) {
        let digits =
            chance(10)
            ? "9999" + String(format6: int(0...999_999))
            : String(format2: int(1...28)) + String(format2: int(1...12)) + String(format2: int(0...99))
                + String(format4: int(0...9999))
        return (digits, chance(25) ? Kennitala.hyphenated(digits) : digits)
    }

    mutating func localAddress() -> JSONValue? {
        switch int(0...9) {
        case 0: return nil  // absent from data
        case 1: return .null
        case 2: return [:]  // Django's `{}` for a member without a located address
        default:
            var address: [String: JSONValue] = [:]
            address["street"] =
                chance(20)
                ? "" : .string(pick(["Laugavegur", "Hringbraut", "Glerárgata", "Aðalstræti", "Þórunnarstræti"]))
            if let number = numberLike(1...250) { address["number"] = number }
            if !chance(10) { address["letter"] = .string(pick(["", "", "a", "b"])) }
            if let postal = numberLike(101...902) { address["postal_code"] = postal }
            if !chance(10) {
                address["city"] = .string(pick(["Reykjavíkurborg", "Akureyrarbær", "Hafnarfjarðarkaupstaður"]))
            }
            return .object(address)
        }
    }

    mutating func foreignAddresses() -> JSONValue? {
        if chance(15) { return nil }
        let countries: [JSONValue?] = [109, 354, 45, 46, 47, 276, 1, "46", nil]
        return .array(
            (0..<int(0...4)).map { index in
                var address: [String: JSONValue] = ["pk": .integer(Int64(index + 1))]
                if let country = pick(countries) { address["country"] = country }
                if !chance(10) { address["current"] = .bool(chance(40)) }
                if !chance(10) {
                    address["municipality"] = .string(pick(["København", "Göteborg", "Oslo", "Berlin", ""]))
                }
                if !chance(10) {
                    address["postal_code"] =
                        chance(20) ? .integer(Int64(int(1000...9999))) : .string(pick(["1000", "411 05", "0150", ""]))
                }
                if !chance(10) {
                    address["address"] = .string(pick(["Nørregade 1", "Storgatan 2", "Karl Johans gate 3", ""]))
                }
                return .object(address)
            })
    }

    /// A whole payload: `(kennitala as named in the delivery, data)`.
    mutating func payload() -> (kennitala: String, data: JSONValue) {
        let (ssn, named) = kennitala()
        var data: [String: JSONValue] = [
            "id": .integer(Int64(int(1...999_999))), "ssn": .string(ssn),
            "name": .string(pick(["Guðrún Jónsdóttir", "Jón Jónsson", "Ása"])),
            "birthday": chance(15) ? .null : "1970-01-01", "gender": .integer(Int64(int(0...3))),
            "housing_situation": .integer(Int64(int(0...6))),
            "date_joined": chance(10) ? .null : "2021-03-04T12:00:00+00:00",
            "contact_info": chance(10)
                ? .null
                : [
                    "email": "x@example.is", "phone": .string(pick(["+354 581-2345", "5812345", "+45 1234 5678", ""])),
                    "foreign_phone": "", "facebook": "",
                ],
            "unions": .array((0..<int(0...2)).map { _ in ["name": .string(pick(["Efling", "VR", "Sameyki"]))] }),
            "titles": .array((0..<int(0...1)).map { _ in ["name": "Trúnaðarmaður"] }),
        ]
        for flag in ["reachable", "groupable"] where !chance(30) { data[flag] = .bool(chance(50)) }
        if let local = localAddress() { data["local_address"] = local }
        if let foreign = foreignAddresses() { data["foreign_addresses"] = foreign }
        return (named, .object(data))
    }
}

extension String {
    fileprivate init(format2 value: Int) { self = value < 10 ? "0\(value)" : String(value) }
    fileprivate init(format4 value: Int) {
        self = String(repeating: "0", count: 4 - String(value).count) + String(value)
    }
    fileprivate init(format6 value: Int) {
        self = String(repeating: "0", count: 6 - String(value).count) + String(value)
    }
}
