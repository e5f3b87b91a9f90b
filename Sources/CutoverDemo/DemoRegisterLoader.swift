import LegacySync

/// Loads the member register tables for a demo seed, member by member, with bulk loads.
struct DemoRegisterLoader {
    let database: any LegacyDatabase
    let schema: String
    let factory: DemoMemberFactory

    func table(_ name: String) -> String { database.qualified(schema: schema, table: name) }

    func load() throws {
        let bool = database.booleanText
        // Lookup tables: municipalities (one per city), postal codes, unions, titles.
        let cities = Array(Set(DemoVocabulary.postalCodes.map(\.city))).sorted()
        try database.bulkLoad(into: table("membership_municipality"), columns: ["id", "name"]) { sink in
            for (index, city) in cities.enumerated() { try sink.write([String(index + 1), city]) }
        }
        var postalCodeIDs: [String: Int] = [:]
        try database.bulkLoad(into: table("membership_postalcode"), columns: ["id", "code", "municipality_id"]) { sink in
            for (index, entry) in DemoVocabulary.postalCodes.enumerated() {
                postalCodeIDs[entry.code] = index + 1
                try sink.write([String(index + 1), entry.code, String(cities.firstIndex(of: entry.city)! + 1)])
            }
        }
        try database.bulkLoad(into: table("membership_union"), columns: ["id", "name"]) { sink in
            for (index, name) in DemoVocabulary.unions.enumerated() { try sink.write([String(index + 1), name]) }
        }
        try database.bulkLoad(into: table("membership_title"), columns: ["id", "name"]) { sink in
            for (index, name) in DemoVocabulary.titles.enumerated() { try sink.write([String(index + 1), name]) }
        }
        // Registry addresses: one per member who has a local address (address id = member id).
        try database.bulkLoad(
            into: table("membership_address"), columns: ["id", "street_name", "number", "letter", "postal_code_id"]
        ) { sink in
            for id in 1...factory.memberCount {
                let member = factory.member(id)
                guard let address = member.localAddress else { continue }
                try sink.write([String(id), address.street, String(address.number), address.letter,
                                String(postalCodeIDs[address.postalCode]!)])
            }
        }
        try database.bulkLoad(
            into: table("membership_comrade"),
            columns: ["id", "ssn", "name", "birthday", "gender", "housing_situation", "reachable", "groupable", "date_joined"]
        ) { sink in
            for id in 1...factory.memberCount {
                let m = factory.member(id)
                try sink.write([
                    String(id), m.ssn, m.name, m.birthday, String(m.gender), String(m.housingSituation), bool(m.reachable),
                    bool(m.groupable), m.dateJoined.map { database.timestampText($0, withTimeZone: true) },
                ])
            }
        }
        try database.bulkLoad(
            into: table("membership_contactinfo"), columns: ["id", "comrade_id", "email", "phone", "foreign_phone", "facebook"]
        ) { sink in
            for id in 1...factory.memberCount {
                let m = factory.member(id)
                guard m.hasContactInfo else { continue }
                try sink.write([String(id), String(id), m.email ?? "", m.phone ?? "", m.foreignPhone, m.facebook])
            }
        }
        try database.bulkLoad(
            into: table("membership_simpleaddress"),
            columns: ["id", "comrade_id", "street_address", "postal_code", "city", "country"]
        ) { sink in
            for id in 1...factory.memberCount {
                guard let address = factory.member(id).simpleAddress else { continue }
                try sink.write([String(id), String(id), address.street, address.postalCode, address.city, "Ísland"])
            }
        }
        try database.bulkLoad(
            into: table("membership_newlocaladdress"), columns: ["id", "comrade_id", "address_id", "current", "unlocated"]
        ) { sink in
            for id in 1...factory.memberCount {
                guard let address = factory.member(id).localAddress else { continue }
                try sink.write([String(id), String(id), String(id), bool(true), bool(address.unlocated)])
            }
        }
        try database.bulkLoad(
            into: table("membership_newforeignaddress"),
            columns: ["id", "comrade_id", "country_id", "municipality", "postal_code", "address", "current"]
        ) { sink in
            for id in 1...factory.memberCount {
                for (index, address) in factory.member(id).foreignAddresses.enumerated() {
                    try sink.write([String(DemoMemberFactory.foreignAddressID(memberID: id, index: index)), String(id),
                                    String(address.countryID), address.municipality, address.postalCode, address.address,
                                    bool(address.current)])
                }
            }
        }
        var linkID = 0
        try database.bulkLoad(into: table("membership_comrade_unions"), columns: ["id", "comrade_id", "union_id"]) { sink in
            for id in 1...factory.memberCount {
                for union in factory.member(id).unions {
                    linkID += 1
                    try sink.write([String(linkID), String(id), String(DemoVocabulary.unions.firstIndex(of: union)! + 1)])
                }
            }
        }
        linkID = 0
        try database.bulkLoad(into: table("membership_comrade_titles"), columns: ["id", "comrade_id", "title_id"]) { sink in
            for id in 1...factory.memberCount {
                for title in factory.member(id).titles {
                    linkID += 1
                    try sink.write([String(linkID), String(id), String(DemoVocabulary.titles.firstIndex(of: title)! + 1)])
                }
            }
        }
    }
}
