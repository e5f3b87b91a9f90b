/// One member as the register holds them (LEGACY.md §3): the fields both sync paths read.
public struct RegisterMember: Sendable, Equatable {
    public struct Contact: Sendable, Equatable {
        public var email, phone, foreignPhone, facebook: String
    }

    public struct SimpleAddress: Sendable, Equatable {
        public var street, postalCode, city, country: String
    }

    public struct LocalAddress: Sendable, Equatable {
        public var street: String
        public var number: Int?
        public var letter, postalCode, city: String
    }

    public struct ForeignAddress: Sendable, Equatable {
        public var id: Int64
        public var countryID: Int
        public var municipality, postalCode, address: String
        public var current: Bool
    }

    public var id: Int64
    public var ssn: String
    public var name: String
    /// `YYYY-MM-DD`.
    public var birthday: String?
    public var gender: Int
    public var housingSituation: Int
    public var reachable: Bool
    public var groupable: Bool
    public var dateJoined: Timestamp?
    public var contact: Contact?
    public var simpleAddress: SimpleAddress?
    /// The current registry address.
    public var localAddress: LocalAddress?
    public var unions: [String] = []
    public var titles: [String] = []
    public var foreignAddresses: [ForeignAddress] = []
}
