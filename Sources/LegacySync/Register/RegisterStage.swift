/// The register rows of the members a drain touches, read in one pass (one consistent read) and
/// kept as `RegisterMember`s — about half a kilobyte each, a tenth of their JSON trees. Each batch
/// serialises only its own members, and Path A's member JSON only for a drain through the queue path.
package struct RegisterStage {
    private var members: [String: RegisterMember] = [:]
    private let withPathA: Bool

    package init(database: any LegacyDatabase, schema: String, kennitalas: Set<String>, withPathA: Bool) throws {
        self.withPathA = withPathA
        guard !kennitalas.isEmpty else { return }
        var found: [String: RegisterMember] = [:]
        // Sized once: growing a dictionary of half-kilobyte members copies it at each doubling, and
        // those copies caused a sixth of the drain's page faults.
        found.reserveCapacity(kennitalas.count)
        try database.withConsistentRead { _ in
            // One member: read just that one; several: one pass over the register.
            let only = kennitalas.count == 1 ? kennitalas.first : nil
            try RegisterReader(database: database, schema: schema, ssn: only).scan { member in
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
