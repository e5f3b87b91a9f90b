/// The register rows of a few members (one drain batch) or many, read in one consistent read and
/// kept as `RegisterMember`s — about half a kilobyte each, a tenth of their JSON trees. Each batch
/// serialises only its own members, and Path A's member JSON only for a drain through the queue path.
package struct RegisterStage {
    private var members: [String: RegisterMember] = [:]
    private let withPathA: Bool

    /// The most members read by their SSNs; above it the whole register is scanned once.
    static let readByKeyUpTo = 1_000

    package init(database: any LegacyDatabase, schema: String, kennitalas: Set<String>, withPathA: Bool) throws {
        self.withPathA = withPathA
        guard !kennitalas.isEmpty else { return }
        var found: [String: RegisterMember] = [:]
        // Sized once: growing a dictionary of half-kilobyte members copies it at each doubling, and
        // those copies caused a sixth of the drain's page faults.
        found.reserveCapacity(kennitalas.count)
        try database.withConsistentRead { _ in
            // A batch's worth: just those, by the unique index on ssn (and the children's comrade_id
            // indexes); more: one pass over the register, cheaper than thousands of lookups.
            let only = kennitalas.count <= Self.readByKeyUpTo ? kennitalas.sorted() : nil
            try RegisterReader(database: database, schema: schema, ssns: only).scan { member in
                let kennitala = Kennitala.normalised(member.ssn)
                if kennitalas.contains(kennitala) { found[kennitala] = member }
            }
        }
        members = found
    }

    /// One batch's members, serialised as the paths read them.
    package func lookup(_ kennitalas: [String]) -> RegisterLookup {
        var lookup = RegisterLookup()
        for kennitala in kennitalas {
            guard let member = members[kennitala] else { continue }
            lookup.pathB[kennitala] = member.pathBDataJSON
            if withPathA { lookup.pathA[kennitala] = member.pathAMemberJSON }
        }
        return lookup
    }
}
