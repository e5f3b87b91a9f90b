import LegacySync

/// Loads the member register tables for a demo seed (LEGACY.md §3), member by member, with bulk
/// loads: the `map` registry first, then members and their rows.
struct DemoRegisterLoader {
    let database: any LegacyDatabase
    let schema: String
    let factory: DemoMemberFactory

    func table(_ name: String) -> String { database.qualified(schema: schema, table: name) }

    func load() throws {
        let registry = try DemoRegistryLoader(database: database, schema: schema).load()
        let bool = database.booleanText
        let members = 1...factory.memberCount
        try database.bulkLoad(
            into: table("membership_comrade"),
            columns: [
                "id", "ssn", "name", "birthday", "gender", "housing_situation", "reachable", "groupable", "date_joined",
            ]
        ) { sink in
            for id in members {
                let m = factory.member(id)
                try sink.write([
                    String(id), m.ssn, m.name, m.birthday, String(m.gender), String(m.housingSituation),
                    bool(m.reachable),
                    bool(m.groupable), m.dateJoined.map { database.timestampText($0, withTimeZone: true) },
                ])
            }
        }
        try database.bulkLoad(
            into: table("membership_contactinfo"),
            columns: ["id", "comrade_id", "email", "phone", "foreign_phone", "facebook"]
        ) { sink in
            for id in members {
                let m = factory.member(id)
                guard m.hasContactInfo else { continue }
                try sink.write([String(id), String(id), m.email ?? "", m.phone ?? "", m.foreignPhone, m.facebook])
            }
        }
        try database.bulkLoad(
            into: table("membership_simpleaddress"),
            columns: ["id", "comrade_id", "street_address", "postal_code", "city", "country"]
        ) { sink in
            for id in members {
                guard let address = factory.member(id).simpleAddress else { continue }
                try sink.write([String(id), String(id), address.street, address.postalCode, address.city, "Ísland"])
            }
        }
        try loadAddresses(registry)
        var linkID = 0
        try database.bulkLoad(into: table("membership_unionmembership"), columns: ["id", "comrade_id", "union_id"]) {
            sink in
            for id in members {
                for union in factory.member(id).unions {
                    linkID += 1
                    try sink.write([
                        String(linkID), String(id), String(DemoVocabulary.unions.firstIndex(of: union)! + 1),
                    ])
                }
            }
        }
        linkID = 0
        try database.bulkLoad(into: table("membership_comradetitle"), columns: ["id", "comrade_id", "title_id"]) {
            sink in
            for id in members {
                for title in factory.member(id).titles {
                    linkID += 1
                    try sink.write([
                        String(linkID), String(id), String(DemoVocabulary.titles.firstIndex(of: title)! + 1),
                    ])
                }
            }
        }
    }

    /// Multi-table inheritance: one `membership_newcomradeaddress` parent (current, country) per
    /// local or foreign row, the child sharing its id; a located local row's `map_address` has that
    /// id too. One local row of a deleted member keeps `comrade_id` NULL, as Django leaves it.
    private func loadAddresses(_ registry: DemoRegistryLoader.Registry) throws {
        let bool = database.booleanText
        let members = 1...factory.memberCount
        let orphanRow = Int64(factory.memberCount + 1) * 10 + 1
        try database.bulkLoad(
            into: table("map_address"), columns: ["id", "street_id", "number", "letter", "extra", "special"]
        ) { sink in
            for id in members {
                for (index, row) in factory.member(id).localRows.enumerated() {
                    guard let address = row.address else { continue }
                    try sink.write([
                        String(DemoMemberFactory.localAddressID(memberID: id, index: index)),
                        String(registry.streetID(address.street, address.postalCode)), String(address.number),
                        address.letter, "", "",
                    ])
                }
            }
        }
        try database.bulkLoad(
            into: table("membership_newcomradeaddress"),
            columns: ["id", "country_id", "current", "moved_in", "moved_out"]
        ) { sink in
            for id in members {
                let member = factory.member(id)
                for (index, row) in member.localRows.enumerated() {
                    try sink.write([
                        String(DemoMemberFactory.localAddressID(memberID: id, index: index)), "109",
                        bool(row.current), nil, nil,
                    ])
                }
                for (index, address) in member.foreignAddresses.enumerated() {
                    try sink.write([
                        String(DemoMemberFactory.foreignAddressID(memberID: id, index: index)),
                        String(address.countryID), bool(address.current), nil, nil,
                    ])
                }
            }
            try sink.write([String(orphanRow), "109", bool(true), nil, nil])
        }
        try database.bulkLoad(
            into: table("membership_newlocaladdress"),
            columns: ["newcomradeaddress_ptr_id", "comrade_id", "address_id", "unlocated"]
        ) { sink in
            for id in members {
                for (index, row) in factory.member(id).localRows.enumerated() {
                    let rowID = String(DemoMemberFactory.localAddressID(memberID: id, index: index))
                    try sink.write([rowID, String(id), row.address == nil ? nil : rowID, bool(row.address == nil)])
                }
            }
            try sink.write([String(orphanRow), nil, nil, bool(true)])
        }
        try database.bulkLoad(
            into: table("membership_newforeignaddress"),
            columns: ["newcomradeaddress_ptr_id", "comrade_id", "address", "postal_code", "municipality"]
        ) { sink in
            for id in members {
                for (index, address) in factory.member(id).foreignAddresses.enumerated() {
                    try sink.write([
                        String(DemoMemberFactory.foreignAddressID(memberID: id, index: index)), String(id),
                        address.address, address.postalCode, address.municipality,
                    ])
                }
            }
        }
    }
}
