import CutoverSupport

/// One member as the register holds them (LEGACY.md §3): the fields both sync paths read.
public struct RegisterMember: Sendable, Equatable {
    public struct Contact: Sendable, Equatable {
        public var email, phone, foreignPhone, facebook: String

        public init(email: String, phone: String, foreignPhone: String, facebook: String) {
            (self.email, self.phone, self.foreignPhone, self.facebook) = (email, phone, foreignPhone, facebook)
        }
    }

    public struct SimpleAddress: Sendable, Equatable {
        public var street, postalCode, city, country: String

        public init(street: String, postalCode: String, city: String, country: String) {
            (self.street, self.postalCode, self.city, self.country) = (street, postalCode, city, country)
        }
    }

    public struct LocalAddress: Sendable, Equatable {
        public var street: String
        public var number: Int?
        public var letter: String
        /// The street's `map_postalcode.code`: an integer, as Django sends it.
        public var postalCode: Int?
        /// The municipality of the postal code's first `map_municipalitypostalcode` row.
        public var city: String

        public init(street: String, number: Int?, letter: String, postalCode: Int?, city: String) {
            (self.street, self.number, self.letter, self.postalCode, self.city) = (
                street, number, letter, postalCode, city
            )
        }
    }

    public struct ForeignAddress: Sendable, Equatable {
        public var id: Int64
        /// The parent row's `country_id`, sent as it is (nil when NULL).
        public var countryID: Int?
        public var municipality, postalCode, address: String
        /// From the parent row: Path B sends current and old foreign addresses alike.
        public var current: Bool

        public init(
            id: Int64, countryID: Int?, municipality: String, postalCode: String, address: String, current: Bool
        ) {
            (self.id, self.countryID, self.municipality, self.postalCode, self.address, self.current) =
                (id, countryID, municipality, postalCode, address, current)
        }
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
    /// The first current registry address with an `address_id` (LEGACY.md §3).
    public var localAddress: LocalAddress?
    public var unions: [String] = []
    public var titles: [String] = []
    public var foreignAddresses: [ForeignAddress] = []

    public init(
        id: Int64, ssn: String, name: String, birthday: String?, gender: Int, housingSituation: Int, reachable: Bool,
        groupable: Bool, dateJoined: Timestamp?
    ) {
        self.id = id
        self.ssn = ssn
        self.name = name
        self.birthday = birthday
        self.gender = gender
        self.housingSituation = housingSituation
        self.reachable = reachable
        self.groupable = groupable
        self.dateJoined = dateJoined
    }
}
