import CutoverSupport
import LegacySync

/// One member of the demo register, with everything the seeder writes for them.
public struct DemoMember: Sendable {
    /// A registry address as Path B reads it: the city is the postal code's official municipality
    /// name ("Reykjavíkurborg"), not the simple address's "Reykjavík".
    public struct LocalAddress: Sendable, Equatable {
        public let street: String
        public let number: Int
        public let letter: String
        public let postalCode: String
        public let city: String
    }

    /// One `membership_newlocaladdress` row with its parent's `current`; `address` nil when unlocated.
    public struct LocalRow: Sendable {
        public let address: LocalAddress?
        public let current: Bool
    }

    public struct ForeignAddress: Sendable {
        public let countryID: Int
        public let municipality: String
        public let postalCode: String
        public let address: String
        public let current: Bool
    }

    public let id: Int
    public let ssn: String
    public let name: String
    public let birthday: String?
    public let gender: Int
    public let housingSituation: Int
    public let reachable: Bool
    public let groupable: Bool
    public let dateJoined: Timestamp?
    /// nil when the member has no contact-info row.
    public let email: String?
    public let phone: String?
    public let foreignPhone: String
    public let facebook: String
    public let hasContactInfo: Bool
    /// Street, postal code, city of the simple address (Path A's source); nil when absent.
    public let simpleAddress: (street: String, postalCode: String, city: String)?
    /// The member's registry address rows in database order: old ones, unlocated ones, and some
    /// members with two current rows.
    public let localRows: [LocalRow]
    public let unions: [String]
    public let titles: [String]
    public let foreignAddresses: [ForeignAddress]

    public var isPlaceholder: Bool { Kennitala.isPlaceholder(ssn) }

    /// "The" local address Path B sends (LEGACY.md §3): the first current row with an address.
    public var localAddress: LocalAddress? { localRows.first { $0.current && $0.address != nil }?.address }
}
