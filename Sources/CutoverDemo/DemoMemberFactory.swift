import CutoverSupport
import LegacySync

/// Builds demo member `id` from the seed alone, so any member can be rebuilt at any time (the queue
/// generator uses it to write update rows that agree with the register).
public struct DemoMemberFactory: Sendable {
    public let seed: UInt64
    public let memberCount: Int
    /// Kennitölur of members 1…memberCount, then of deleted members, then of orphan-delete SSNs.
    let kennitolur: [UInt64]
    public let deletedMemberCapacity: Int

    /// Every 200th member is a 9999 placeholder for a merged duplicate.
    static let placeholderEvery = 200
    /// Members whose register gender is out of the 0–3 range (the legacy create failed on them).
    static let badGenderEvery = 997

    public init(seed: UInt64, memberCount: Int, deletedMemberCapacity: Int) {
        self.seed = seed
        self.memberCount = memberCount
        self.deletedMemberCapacity = deletedMemberCapacity
        kennitolur = KennitalaSequence.generate(count: memberCount + deletedMemberCapacity + 8)
    }

    public static func isPlaceholder(memberID id: Int) -> Bool { id % placeholderEvery == 0 }

    /// The primary key of a member's `index`th foreign address: derived from the member id, so that
    /// it is known without counting the addresses of earlier members.
    public static func foreignAddressID(memberID id: Int, index: Int) -> Int64 { Int64(id) * 10 + 6 + Int64(index) }

    /// The `membership_newcomradeaddress` id of a member's `index`th local row (at most five), below
    /// its foreign ones; also the id of the row's `map_address`.
    public static func localAddressID(memberID id: Int, index: Int) -> Int64 { Int64(id) * 10 + 1 + Int64(index) }

    public func ssn(memberID id: Int) -> String {
        if Self.isPlaceholder(memberID: id) {
            let suffix = String(id)
            return "9999" + String(repeating: "0", count: max(0, 6 - suffix.count)) + suffix.suffix(6)
        }
        return KennitalaSequence.text(kennitolur[id - 1])
    }

    /// SSN of deleted member `k` (0-based): no longer in the register.
    public func deletedSSN(_ k: Int) -> String { KennitalaSequence.text(kennitolur[memberCount + k]) }

    /// SSNs for planted orphan deletes, beside the famous `0103097930`.
    public func orphanSSN(_ k: Int) -> String {
        KennitalaSequence.text(kennitolur[memberCount + deletedMemberCapacity + k])
    }

    public func member(_ id: Int) -> DemoMember {
        var random = DemoRandom(seed: seed, stream: 1, index: UInt64(id))
        let ssn = ssn(memberID: id)
        let female = random.chance(0.5)
        let first = random.pick(female ? DemoVocabulary.femaleNames : DemoVocabulary.maleNames)
        let father = random.pick(DemoVocabulary.maleNames)
        let patronymic = Self.genitive(father) + (female ? "dóttir" : "son")
        let name = "\(first) \(patronymic)"
        var gender = random.chance(0.08) ? random.pick([0, 3]) : (female ? 2 : 1)
        if id % Self.badGenderEvery == 0 { gender = 7 }
        let birthday = random.chance(0.03) ? nil : Self.birthday(fromKennitala: ssn)
        let joinedDay = Timestamp.daysFromCivil(year: 2016, month: 3, day: 1) + random.int(0...3_500)
        let dateJoined =
            random.chance(0.02)
            ? nil : Timestamp(seconds: Int64(joinedDay) * 86_400 + Int64(random.int(28_800...79_200)))
        let hasContact = !random.chance(0.05)
        let local =
            "\(DemoVocabulary.asciiFolded(first)).\(DemoVocabulary.asciiFolded(String(patronymic.prefix(4))))\(id)"
        let email =
            hasContact ? (random.chance(0.04) ? "" : "\(local)@\(random.pick(DemoVocabulary.emailDomains))") : nil
        let digits = "\(random.pick(["5", "6", "7", "8"]))\(random.int(100_000...999_999))"
        // Phone numbers as people typed them: Path B normalises, Path A keeps them as stored.
        let phone: String? =
            hasContact
            ? random.pick([
                digits, digits, "\(digits.prefix(3))-\(digits.suffix(4))",
                "+354 \(digits.prefix(3)) \(digits.suffix(4))", "354\(digits)", "",
            ])
            : nil
        let foreignPhone = hasContact && random.chance(0.03) ? "+45 \(random.int(20_000_000...99_999_999))" : ""
        let facebook = hasContact && random.chance(0.1) ? "https://facebook.com/\(local)" : ""
        let place = random.pick(DemoVocabulary.postalCodes)
        let street = random.pick(DemoVocabulary.streets)
        let number = random.int(1...140)
        let letter = random.chance(0.1) ? random.pick(["a", "b", "c"]) : ""
        let simple: (String, String, String)? =
            random.chance(0.05) ? nil : ("\(street) \(number)\(letter)", place.code, place.city)
        var localAddress: DemoMember.LocalAddress?
        var unlocated = false
        if !random.chance(0.05) {
            // One in ten moved: the registry address (Path B) differs from the simple address (Path A).
            let moved = random.chance(0.1)
            let movedPlace = moved ? random.pick(DemoVocabulary.postalCodes) : place
            localAddress = .init(
                street: moved ? random.pick(DemoVocabulary.streets) : street,
                number: moved ? random.int(1...140) : number,
                letter: moved ? "" : letter, postalCode: movedPlace.code,
                city: DemoVocabulary.municipality(of: movedPlace.code))
            unlocated = random.chance(0.02)
        }
        var unions: [String] = []
        if random.chance(0.35) { unions.append(random.pick(DemoVocabulary.unions)) }
        if random.chance(0.08) {
            let second = random.pick(DemoVocabulary.unions)
            if !unions.contains(second) { unions.append(second) }
        }
        let titles = random.chance(0.04) ? [random.pick(DemoVocabulary.titles)] : []
        var foreign: [DemoMember.ForeignAddress] = []
        if random.chance(0.02) {
            let country = random.pick(DemoVocabulary.foreignCountries)
            foreign.append(
                .init(
                    countryID: country.id, municipality: country.municipality,
                    postalCode: String(random.int(1000...9999)),
                    address:
                        "\(random.pick(["Nørregade", "Storgatan", "Karl Johans gate", "Hauptstraße"])) "
                        + "\(random.int(1...99))",
                    current: random.chance(0.5)))
        }
        return DemoMember(
            id: id, ssn: ssn, name: name, birthday: birthday, gender: gender, housingSituation: random.int(0...6),
            reachable: random.chance(0.85), groupable: random.chance(0.6), dateJoined: dateJoined, email: email,
            phone: phone, foreignPhone: foreignPhone, facebook: facebook, hasContactInfo: hasContact,
            simpleAddress: simple, localRows: localRows(id, localAddress, unlocated: unlocated), unions: unions,
            titles: titles,
            foreignAddresses: foreign + oldForeignAddress(id))
    }

    /// The rows behind a member's local address, from their own random stream so the rest of the
    /// member stays as it was: some members also have an old (non-current) row first, an unlocated
    /// current row before the located one, or a second current row after it — Path B takes the
    /// first current row with an address whatever comes around it.
    func localRows(_ id: Int, _ address: DemoMember.LocalAddress?, unlocated: Bool) -> [DemoMember.LocalRow] {
        var random = DemoRandom(seed: seed, stream: 4, index: UInt64(id))
        func other() -> DemoMember.LocalAddress {
            let place = random.pick(DemoVocabulary.postalCodes)
            return .init(
                street: random.pick(DemoVocabulary.streets), number: random.int(1...140), letter: "",
                postalCode: place.code, city: DemoVocabulary.municipality(of: place.code))
        }
        var rows: [DemoMember.LocalRow] = []
        if random.chance(0.2) { rows.append(.init(address: other(), current: false)) }
        if unlocated { rows.append(.init(address: nil, current: true)) }
        guard let address else { return rows }
        rows.append(.init(address: address, current: true))
        if random.chance(0.03) { rows.append(.init(address: other(), current: true)) }
        return rows
    }

    /// Every 60th member also keeps an old foreign address (not current): Path B sends it all the same.
    func oldForeignAddress(_ id: Int) -> [DemoMember.ForeignAddress] {
        guard id % 60 == 7 else { return [] }
        let country = DemoVocabulary.foreignCountries[id % DemoVocabulary.foreignCountries.count]
        return [
            .init(
                countryID: country.id, municipality: country.municipality, postalCode: String(1000 + id % 9000),
                address: "Gamla gata \(id % 90 + 1)", current: false)
        ]
    }

    /// A crude Icelandic genitive for patronymics: Jón → Jóns, Einar → Einars, Páll → Páls.
    static func genitive(_ name: String) -> String {
        if name.hasSuffix("ur") { return String(name.dropLast(2)) + "s" }
        if name.hasSuffix("i") { return String(name.dropLast()) + "a" }
        if name.hasSuffix("ll") { return String(name.dropLast()) + "s" }
        return name + "s"
    }

    /// `YYYY-MM-DD` from the kennitala's DDMMYY and century digit; nil for placeholders.
    static func birthday(fromKennitala ssn: String) -> String? {
        guard !Kennitala.isPlaceholder(ssn) else { return nil }
        let d = Array(ssn.utf8).map { Int($0) - 48 }
        let year = (d[9] == 0 ? 2000 : 1900) + d[4] * 10 + d[5]
        return "\(year)-\(d[2])\(d[3])-\(d[0])\(d[1])"
    }
}
