import CutoverSupport

/// The SQL of each register part (LEGACY.md §3), every column named, every child query ordered by
/// member id so the reader can merge them. Rows without a member (`comrade_id` NULL after a
/// deletion) are left out: a NULL sorts first in SQLite and would end the merge.
struct RegisterQueries {
    let database: any LegacyDatabase
    let schema: String
    /// The members asked for, or nil for the whole register.
    let ssns: [String]?
    let layout: RegisterSchema

    private func table(_ name: String) -> String { database.qualified(schema: schema, table: name) }

    /// `ssn IN (…)` for the members asked for, each in both spellings.
    private var onlyMember: String? {
        ssns.map { ssns in
            let spellings = Set(ssns.flatMap { [Kennitala.normalised($0), Kennitala.hyphenated($0)] }).sorted()
            return "ssn IN (\(spellings.map(QueueTableName.literal).joined(separator: ", ")))"
        }
    }

    /// The child rows of the selected members: all of them, or those of the members asked for.
    private func belongs(_ column: String) -> String {
        let present = "\(column) IS NOT NULL"
        guard let only = onlyMember else { return present }
        return "\(present) AND \(column) IN (SELECT id FROM \(table(RegisterTables.comrade)) WHERE \(only))"
    }

    var members: String {
        "SELECT id, ssn, name, birthday, gender, housing_situation, reachable, groupable, date_joined "
            + "FROM \(table(RegisterTables.comrade)) WHERE \(onlyMember ?? "1 = 1") ORDER BY id"
    }

    var contacts: String {
        "SELECT comrade_id, email, phone, foreign_phone, facebook FROM \(table("membership_contactinfo")) "
            + "WHERE \(belongs("comrade_id")) ORDER BY comrade_id\(orderByID("membership_contactinfo"))"
    }

    var simpleAddresses: String {
        "SELECT comrade_id, street_address, postal_code, city, country FROM \(table("membership_simpleaddress")) "
            + "WHERE \(belongs("comrade_id")) ORDER BY comrade_id\(orderByID("membership_simpleaddress"))"
    }

    /// Current rows with an address only, so the first row per member is "the" local address. The
    /// postal code is the street's; the city is the municipality of that postal code's first
    /// `map_municipalitypostalcode` row (Path B's rule — the original's SQL reports take the street's).
    var localAddresses: String {
        let city =
            layout.has(.city)
            ? """
            (SELECT m.name FROM \(table("map_municipalitypostalcode")) mp
              JOIN \(table("map_municipality")) m ON m.id = mp.municipality_id
              WHERE mp.postal_code_id = p.id ORDER BY mp.id LIMIT 1)
            """
            : "NULL"
        return """
            SELECT l.comrade_id, s.name, a.number, a.letter, p.code, \(city)
            FROM \(table("membership_newlocaladdress")) l
            JOIN \(table("membership_newcomradeaddress")) c ON c.id = l.newcomradeaddress_ptr_id
            JOIN \(table("map_address")) a ON a.id = l.address_id
            JOIN \(table("map_street")) s ON s.id = a.street_id
            LEFT JOIN \(table("map_postalcode")) p ON p.id = s.postal_code_id
            WHERE c."current" AND \(belongs("l.comrade_id"))
            ORDER BY l.comrade_id, l.newcomradeaddress_ptr_id
            """
    }

    /// Every foreign address, current or not; `current` and the country are on the parent row.
    var foreignAddresses: String {
        """
        SELECT f.comrade_id, f.newcomradeaddress_ptr_id, c.country_id, f.municipality, f.postal_code, f.address, \
        c."current"
        FROM \(table("membership_newforeignaddress")) f
        JOIN \(table("membership_newcomradeaddress")) c ON c.id = f.newcomradeaddress_ptr_id
        WHERE \(belongs("f.comrade_id")) ORDER BY f.comrade_id, f.newcomradeaddress_ptr_id
        """
    }

    var unions: String {
        "SELECT um.comrade_id, u.name FROM \(table("membership_unionmembership")) um "
            + "JOIN \(table("membership_union")) u ON u.id = um.union_id WHERE \(belongs("um.comrade_id")) "
            + "ORDER BY um.comrade_id, um.id"
    }

    var titles: String {
        "SELECT ct.comrade_id, t.name FROM \(table("membership_comradetitle")) ct "
            + "JOIN \(table("membership_title")) t ON t.id = ct.title_id WHERE \(belongs("ct.comrade_id")) "
            + "ORDER BY ct.comrade_id, ct.id"
    }

    /// §3 names no `id` for the first-row tables; Django gives them one, and then it fixes "first".
    private func orderByID(_ table: String) -> String {
        layout.tableColumns[table]?.contains("id") == true ? ", id" : ""
    }
}
