import LegacySync

/// Loads the `map` app's address registry and the register's lookup tables (countries,
/// municipalities with their official names, postal codes, streets, unions, titles).
struct DemoRegistryLoader {
    /// Where the member rows find their street.
    struct Registry {
        let postalCodeIndex: [String: Int]

        /// One street row per street name and postal code: id = street × postal codes + postal code + 1.
        func streetID(_ street: String, _ postalCode: String) -> Int {
            DemoVocabulary.streets.firstIndex(of: street)! * DemoVocabulary.postalCodes.count + postalCodeIndex[
                postalCode]! + 1
        }
    }

    let database: any LegacyDatabase
    let schema: String

    func table(_ name: String) -> String { database.qualified(schema: schema, table: name) }

    func load() throws -> Registry {
        try database.bulkLoad(into: table("map_country"), columns: ["id", "code", "name"]) { sink in
            for country in DemoVocabulary.countries {
                try sink.write([String(country.id), country.code, country.name])
            }
        }
        let municipalities = Array(Set(DemoVocabulary.officialMunicipalities.values)).sorted()
        func municipalityID(_ name: String) -> String { String(municipalities.firstIndex(of: name)! + 1) }
        try database.bulkLoad(into: table("map_municipality"), columns: ["id", "name"]) { sink in
            for (index, name) in municipalities.enumerated() { try sink.write([String(index + 1), name]) }
        }
        var postalCodeIndex: [String: Int] = [:]
        try database.bulkLoad(into: table("map_postalcode"), columns: ["id", "code"]) { sink in
            for (index, entry) in DemoVocabulary.postalCodes.enumerated() {
                postalCodeIndex[entry.code] = index
                try sink.write([String(index + 1), entry.code])
            }
        }
        // The official municipality first; a shared postal code's second municipality after it.
        var linkID = 0
        try database.bulkLoad(
            into: table("map_municipalitypostalcode"), columns: ["id", "municipality_id", "postal_code_id"]
        ) { sink in
            for (index, entry) in DemoVocabulary.postalCodes.enumerated() {
                let names =
                    [DemoVocabulary.municipality(of: entry.code)]
                    + [DemoVocabulary.secondMunicipality[entry.code]].compactMap { $0 }
                for name in names {
                    linkID += 1
                    try sink.write([String(linkID), municipalityID(name), String(index + 1)])
                }
            }
        }
        let registry = Registry(postalCodeIndex: postalCodeIndex)
        try database.bulkLoad(into: table("map_street"), columns: ["id", "name", "postal_code_id", "municipality_id"]) {
            sink in
            for street in DemoVocabulary.streets {
                for entry in DemoVocabulary.postalCodes {
                    try sink.write([
                        String(registry.streetID(street, entry.code)), street,
                        String(postalCodeIndex[entry.code]! + 1),
                        municipalityID(DemoVocabulary.municipality(of: entry.code)),
                    ])
                }
            }
        }
        try database.bulkLoad(into: table("membership_union"), columns: ["id", "name", "abbreviation", "logo"]) {
            sink in
            for (index, name) in DemoVocabulary.unions.enumerated() {
                try sink.write([String(index + 1), name, String(name.prefix(3)).uppercased(), ""])
            }
        }
        try database.bulkLoad(into: table("membership_title"), columns: ["id", "name"]) { sink in
            for (index, name) in DemoVocabulary.titles.enumerated() { try sink.write([String(index + 1), name]) }
        }
        return registry
    }
}
