import CutoverSupport

/// Streams the member register in id order with bounded memory: one cursor per table, merged by
/// member id (a sort-merge join), so millions of members never sit in memory at once.
/// Pull members with `next()`, or push them with `scan`. Must be used inside `withConsistentRead`.
public final class RegisterReader {
    private let members: any RowCursor
    private let contacts, simple, local, unions, titles, foreign: PeekingCursor

    /// `ssn`: read only the member with this SSN (the drain refreshing one document), stored with or
    /// without the hyphen (`DDMMYY-NNNN`): the register may hold either spelling.
    public init(database: any LegacyDatabase, schema: String, ssn: String? = nil) throws {
        func table(_ name: String) -> String { database.qualified(schema: schema, table: name) }
        let only = ssn.map { ssn in
            let spellings = Set([Kennitala.normalised(ssn), Kennitala.hyphenated(ssn)]).sorted()
            return " ssn IN (\(spellings.map(QueueTableName.literal).joined(separator: ", ")))"
        }
        // Child rows of the selected members only, when one member is asked for.
        func members(_ column: String) -> String {
            only.map { "\(column) IN (SELECT id FROM \(table("membership_comrade")) WHERE\($0))" } ?? "1 = 1"
        }
        self.members = try database.openCursor(
            "SELECT id, ssn, name, birthday, gender, housing_situation, reachable, groupable, date_joined "
                + "FROM \(table("membership_comrade")) WHERE \(only ?? " 1 = 1") ORDER BY id")
        contacts = PeekingCursor(try database.openCursor(
            "SELECT comrade_id, email, phone, foreign_phone, facebook FROM \(table("membership_contactinfo")) "
                + "WHERE \(members("comrade_id")) ORDER BY comrade_id, id"))
        simple = PeekingCursor(try database.openCursor(
            "SELECT comrade_id, street_address, postal_code, city, country FROM \(table("membership_simpleaddress")) "
                + "WHERE \(members("comrade_id")) ORDER BY comrade_id, id"))
        local = PeekingCursor(try database.openCursor(
            """
            SELECT l.comrade_id, a.street_name, a.number, a.letter, p.code, m.name
            FROM \(table("membership_newlocaladdress")) l
            JOIN \(table("membership_address")) a ON a.id = l.address_id
            JOIN \(table("membership_postalcode")) p ON p.id = a.postal_code_id
            JOIN \(table("membership_municipality")) m ON m.id = p.municipality_id
            WHERE l.current AND \(members("l.comrade_id")) ORDER BY l.comrade_id, l.id
            """))
        unions = PeekingCursor(try database.openCursor(
            "SELECT cu.comrade_id, u.name FROM \(table("membership_comrade_unions")) cu "
                + "JOIN \(table("membership_union")) u ON u.id = cu.union_id WHERE \(members("cu.comrade_id")) "
                + "ORDER BY cu.comrade_id, cu.id"))
        titles = PeekingCursor(try database.openCursor(
            "SELECT ct.comrade_id, t.name FROM \(table("membership_comrade_titles")) ct "
                + "JOIN \(table("membership_title")) t ON t.id = ct.title_id WHERE \(members("ct.comrade_id")) "
                + "ORDER BY ct.comrade_id, ct.id"))
        foreign = PeekingCursor(try database.openCursor(
            "SELECT comrade_id, id, country_id, municipality, postal_code, address, current "
                + "FROM \(table("membership_newforeignaddress")) WHERE \(members("comrade_id")) ORDER BY comrade_id, id"))
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
            if let c = try contacts.take(for: id).first {
                member.contact = .init(email: c[1] ?? "", phone: c[2] ?? "", foreignPhone: c[3] ?? "", facebook: c[4] ?? "")
            }
            if let s = try simple.take(for: id).first {
                member.simpleAddress = .init(street: s[1] ?? "", postalCode: s[2] ?? "", city: s[3] ?? "", country: s[4] ?? "")
            }
            if let l = try local.take(for: id).first {
                member.localAddress = .init(
                    street: l[1] ?? "", number: Int(l[2] ?? ""), letter: l[3] ?? "", postalCode: l[4] ?? "", city: l[5] ?? "")
            }
            // Sorted here, not in SQL: collations differ between engines and servers.
            member.unions = try unions.take(for: id).compactMap { $0[1] }.sorted()
            member.titles = try titles.take(for: id).compactMap { $0[1] }.sorted()
            member.foreignAddresses = try foreign.take(for: id).map {
                .init(id: Int64($0[1] ?? "") ?? 0, countryID: Int($0[2] ?? "") ?? 0, municipality: $0[3] ?? "",
                      postalCode: $0[4] ?? "", address: $0[5] ?? "", current: Self.bool($0[6]))
            }
            return member
        }
        return nil
    }

    /// PostgreSQL says `t`/`f`, SQLite `1`/`0`.
    static func bool(_ text: String?) -> Bool { ["t", "true", "1"].contains(text ?? "") }
}

/// A cursor over rows whose first column is a member id, read in order, one member's rows at a time.
final class PeekingCursor {
    private let cursor: any RowCursor
    private var peeked: [String?]??

    package init(_ cursor: any RowCursor) { self.cursor = cursor }

    private func peek() throws -> [String?]? {
        if peeked == nil { peeked = .some(try cursor.next()) }
        return peeked!
    }

    /// The rows for `memberID`, skipping rows of lower ids (rows whose member is gone).
    func take(for memberID: Int64) throws -> [[String?]] {
        var rows: [[String?]] = []
        while let row = try peek(), let id = Int64(row[0] ?? "") {
            if id > memberID { break }
            peeked = nil
            if id == memberID { rows.append(row) }
        }
        return rows
    }
}
