/// An optional part of the member register (LEGACY.md §3): what it feeds, and the tables and
/// columns it is read from. When one of them is absent the part reads as empty and the commands
/// say why, instead of failing: only `membership_comrade` is required.
public enum RegisterPart: String, CaseIterable, Sendable, Comparable {
    case contact
    case simpleAddress = "simple-address"
    case localAddress = "local-address"
    /// The local address's city: a separate part because it needs two more tables.
    case city
    case foreignAddresses = "foreign-addresses"
    case unions
    case titles

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Tables and the columns read from each.
    public var needs: [(table: String, columns: [String])] {
        switch self {
        case .contact:
            [("membership_contactinfo", ["comrade_id", "email", "phone", "foreign_phone", "facebook"])]
        case .simpleAddress:
            [("membership_simpleaddress", ["comrade_id", "street_address", "postal_code", "city", "country"])]
        case .localAddress:
            [
                ("membership_newcomradeaddress", ["id", "current"]),
                ("membership_newlocaladdress", ["newcomradeaddress_ptr_id", "comrade_id", "address_id"]),
                ("map_address", ["id", "street_id", "number", "letter"]),
                ("map_street", ["id", "name", "postal_code_id"]),
                ("map_postalcode", ["id", "code"]),
            ]
        case .city:
            [
                ("map_municipalitypostalcode", ["id", "municipality_id", "postal_code_id"]),
                ("map_municipality", ["id", "name"]),
            ]
        case .foreignAddresses:
            [
                ("membership_newcomradeaddress", ["id", "country_id", "current"]),
                (
                    "membership_newforeignaddress",
                    ["newcomradeaddress_ptr_id", "comrade_id", "address", "postal_code", "municipality"]
                ),
            ]
        case .unions:
            [("membership_union", ["id", "name"]), ("membership_unionmembership", ["id", "comrade_id", "union_id"])]
        case .titles:
            [("membership_title", ["id", "name"]), ("membership_comradetitle", ["id", "comrade_id", "title_id"])]
        }
    }

    /// A part that cannot be read without another one.
    public var requires: RegisterPart? { self == .city ? .localAddress : nil }

    /// What the part feeds, for messages: "… so Path B sends no titles".
    public var consequence: String {
        switch self {
        case .contact: "both paths send no e-mail or phone, and Path B no foreign phone or Facebook"
        case .simpleAddress: "Path A sends no address"
        case .localAddress: "Path B sends no local address"
        case .city: "Path B's local address has no city"
        case .foreignAddresses: "Path B sends no foreign addresses"
        case .unions: "Path B sends no unions"
        case .titles: "Path B sends no titles"
        }
    }

    /// The noun a cause names: "the register has no titles table".
    public var noun: String {
        switch self {
        case .contact: "contact-info"
        case .simpleAddress: "simple-address"
        case .localAddress: "local-address"
        case .city: "municipality"
        case .foreignAddresses: "foreign-address"
        case .unions: "unions"
        case .titles: "titles"
        }
    }

    /// The Firestore fields (either path's) whose values come from this part: a difference there
    /// follows from the part's absence, not from anything the member did.
    public var fieldPaths: [String] {
        switch self {
        case .contact: ["profile.email", "profile.phone", "profile.foreign_phone", "profile.facebook"]
        case .simpleAddress: ["profile.address"]
        case .localAddress, .city, .foreignAddresses: ["profile.addresses"]
        case .unions: ["membership.unions"]
        case .titles: ["membership.titles"]
        }
    }
}
