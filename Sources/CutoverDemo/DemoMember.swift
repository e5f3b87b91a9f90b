import CutoverSupport
import LegacySync

/// One member of the demo register, with everything the seeder writes for them.
public struct DemoMember: Sendable {
    public struct LocalAddress: Sendable {
        public let street: String
        public let number: Int
        public let letter: String
        public let postalCode: String
        public let city: String
        public let unlocated: Bool
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
    /// The current registry address (Path B's source); nil when absent.
    public let localAddress: LocalAddress?
    public let unions: [String]
    public let titles: [String]
    public let foreignAddresses: [ForeignAddress]

    public var isPlaceholder: Bool { Kennitala.isPlaceholder(ssn) }
}
