import LegacySync

/// A demo member as the register reader will read it back from the seeded database.
extension DemoMember {
    public var registerMember: RegisterMember {
        var member = RegisterMember(
            id: Int64(id), ssn: ssn, name: name, birthday: birthday, gender: gender, housingSituation: housingSituation,
            reachable: reachable, groupable: groupable, dateJoined: dateJoined)
        if hasContactInfo {
            member.contact = .init(
                email: email ?? "", phone: phone ?? "", foreignPhone: foreignPhone, facebook: facebook)
        }
        if let address = simpleAddress {
            member.simpleAddress = .init(
                street: address.street, postalCode: address.postalCode, city: address.city, country: "Ísland")
        }
        if let address = localAddress {
            member.localAddress = .init(
                street: address.street, number: address.number, letter: address.letter,
                postalCode: Int(address.postalCode),
                city: address.city)
        }
        // In link-row order, as the loader writes them and Django reads them.
        member.unions = unions
        member.titles = titles
        member.foreignAddresses = foreignAddresses.enumerated().map { index, address in
            .init(
                id: DemoMemberFactory.foreignAddressID(memberID: id, index: index), countryID: address.countryID,
                municipality: address.municipality, postalCode: address.postalCode, address: address.address,
                current: address.current)
        }
        return member
    }
}
