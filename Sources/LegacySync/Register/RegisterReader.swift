import CutoverSupport

/// Streams the member register in id order with bounded memory: one cursor per part, merged by
/// member id (a sort-merge join), so millions of members never sit in memory at once.
/// Pull members with `next()`, or push them with `scan`. Must be used inside `withConsistentRead`.
///
/// Reads the tables and columns of LEGACY.md §3 by name, and only the parts the database holds
/// (`RegisterSchema`): an absent part reads as empty, and is warned about once.
public final class RegisterReader {
    /// What the database holds of the register, found before the cursors were opened.
    public let layout: RegisterSchema
    private let members: any RowCursor
    private let contacts, simple, local, unions, titles, foreign: PeekingCursor?

    /// `ssn`: read only the member with this SSN (the drain refreshing one document), stored with or
    /// without the hyphen (`DDMMYY-NNNN`): the register may hold either spelling.
    public convenience init(database: any LegacyDatabase, schema: String, ssn: String? = nil) throws {
        try self.init(database: database, schema: schema, ssns: ssn.map { [$0] })
    }

    /// `ssns`: read only the members with these SSNs (one drain batch), in either spelling; nil reads
    /// the whole register.
    public init(database: any LegacyDatabase, schema: String, ssns: [String]?) throws {
        let layout = try RegisterSchema.inspect(database, schema: schema)
        layout.warnOnce()
        self.layout = layout
        let sql = RegisterQueries(database: database, schema: schema, ssns: ssns, layout: layout)
        members = try database.openCursor(sql.members)
        func open(_ part: RegisterPart, _ query: String) throws -> PeekingCursor? {
            layout.has(part) ? PeekingCursor(try database.openCursor(query)) : nil
        }
        contacts = try open(.contact, sql.contacts)
        simple = try open(.simpleAddress, sql.simpleAddresses)
        local = try open(.localAddress, sql.localAddresses)
        unions = try open(.unions, sql.unions)
        titles = try open(.titles, sql.titles)
        foreign = try open(.foreignAddresses, sql.foreignAddresses)
    }

    /// Calls `body` for every member, in id order.
    public func scan(_ body: (RegisterMember) throws -> Void) throws {
        while let member = try next() { try body(member) }
    }

    /// The next member in id order, or nil at the end.
    public func next() throws -> RegisterMember? {
        while let row = try members.next() {
            guard let id = Int64(row[0] ?? "") else { continue }
            var member = RegisterMember(
                id: id, ssn: row[1] ?? "", name: row[2] ?? "", birthday: row[3].map { String($0.prefix(10)) },
                gender: Int(row[4] ?? "") ?? 0, housingSituation: Int(row[5] ?? "") ?? 0,
                reachable: Self.bool(row[6]), groupable: Self.bool(row[7]),
                dateJoined: row[8].flatMap(Timestamp.init(parsing:)))
            // Path B and Path A each read the member's first row (LEGACY.md §3).
            if let c = try contacts?.take(for: id).first {
                member.contact = .init(
                    email: c[1] ?? "", phone: c[2] ?? "", foreignPhone: c[3] ?? "", facebook: c[4] ?? "")
            }
            if let s = try simple?.take(for: id).first {
                member.simpleAddress = .init(
                    street: s[1] ?? "", postalCode: s[2] ?? "", city: s[3] ?? "", country: s[4] ?? "")
            }
            // "The" local address: the first current row with an address, in the database's order.
            if let l = try local?.take(for: id).first {
                member.localAddress = .init(
                    street: l[1] ?? "", number: Int(l[2] ?? ""), letter: l[3] ?? "", postalCode: Int(l[4] ?? ""),
                    city: l[5] ?? "")
            }
            member.unions = try unions?.take(for: id).compactMap { $0[1] } ?? []
            member.titles = try titles?.take(for: id).compactMap { $0[1] } ?? []
            member.foreignAddresses =
                try foreign?.take(for: id).map {
                    .init(
                        id: Int64($0[1] ?? "") ?? 0, countryID: Int($0[2] ?? ""), municipality: $0[3] ?? "",
                        postalCode: $0[4] ?? "", address: $0[5] ?? "", current: Self.bool($0[6]))
                } ?? []
            return member
        }
        return nil
    }

    /// PostgreSQL says `t`/`f`, SQLite `1`/`0`.
    static func bool(_ text: String?) -> Bool { ["t", "true", "1"].contains(text ?? "") }
}
