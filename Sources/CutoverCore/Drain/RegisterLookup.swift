/// The register's serialisations of a few members, in memory: one drain batch (from a
/// `RegisterStage`), or one member read on its own.
struct RegisterLookup: Sendable {
    var pathA: [String: JSONValue] = [:]
    var pathB: [String: JSONValue] = [:]

    static func load(database: any LegacyDatabase, schema: String, kennitalas: Set<String>) throws -> RegisterLookup {
        var lookup = RegisterLookup()
        guard !kennitalas.isEmpty else { return lookup }
        try database.withConsistentRead { _ in
            // One member: read just that one; several: one pass over the register.
            let only = kennitalas.count == 1 ? kennitalas.first : nil
            try RegisterReader(database: database, schema: schema, ssn: only).scan { member in
                let kennitala = Kennitala.normalised(member.ssn)
                guard kennitalas.contains(kennitala) else { return }
                lookup.pathA[kennitala] = member.pathAMemberJSON
                lookup.pathB[kennitala] = member.pathBDataJSON
            }
        }
        return lookup
    }
}
