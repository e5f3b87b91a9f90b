import CutoverSupport

/// Django's `/api/sync/apply/` as SQL against the register (LEGACY.md §4 step 2): one member's
/// portal changes in one transaction, the member found by SSN (hyphens removed; unknown →
/// "Member not found"); contact info and simple address rows created when missing; empty contact
/// values ignored; every other path ignored — yet the group succeeds, as it did.
package struct DjangoRegisterWriter {
    /// The paths Django applied; anything else was ignored.
    package static let appliedPaths: Set<String> = [
        "profile.name", "profile.birthday", "profile.gender", "profile.housingSituation", "profile.email",
        "profile.phone",
        "profile.address.street", "profile.address.postal_code", "profile.address.city", "profile.address.country",
    ]

    package struct Outcome: Sendable, Equatable {
        package var error: String?
    }

    let database: any LegacyDatabase
    let schema: String

    package init(database: any LegacyDatabase, schema: String) {
        self.database = database
        self.schema = schema
    }

    /// What `apply` would answer, without writing: a dry run's plan.
    package func check(kennitala: String) throws -> Outcome {
        try database.withTransaction { try memberID(kennitala) } == nil
            ? Outcome(error: Self.memberNotFound) : Outcome(error: nil)
    }

    package func apply(kennitala: String, changes: [String: JSONValue]) throws -> Outcome {
        let comrade = table("membership_comrade")
        // Django could not have saved a change into a table the register lacks: the group fails
        // with the cause in words, where the SQL error would have shown a statement.
        let layout = try RegisterSchema.inspect(database, schema: schema)
        let needed = changes.keys.compactMap(Self.part).filter { !layout.has($0) }
        if let part = needed.min(), let absence = layout.absences.first(where: { $0.part == part }) {
            return Outcome(error: absence.cause)
        }
        return try database.withTransaction {
            guard let id = try memberID(kennitala) else { return Outcome(error: Self.memberNotFound) }
            for (path, value) in changes.sorted(by: { $0.key < $1.key }) where Self.appliedPaths.contains(path) {
                let text = value.stringValue ?? (value.integerValue.map(String.init) ?? "")
                switch path {
                case "profile.name": try set(comrade, "name", QueueTableName.literal(text), id: id, key: "id")
                case "profile.birthday":
                    try set(
                        comrade, "birthday", text.isEmpty ? "NULL" : QueueTableName.literal(String(text.prefix(10))),
                        id: id, key: "id")
                case "profile.gender":
                    if let number = Int(text) { try set(comrade, "gender", String(number), id: id, key: "id") }
                case "profile.housingSituation":
                    if let number = Int(text) {
                        try set(comrade, "housing_situation", String(number), id: id, key: "id")
                    }
                case "profile.email", "profile.phone":
                    guard !text.isEmpty else { continue }
                    try ensureRow(
                        "membership_contactinfo", id: id, columns: ["email", "phone", "foreign_phone", "facebook"])
                    try set(
                        table("membership_contactinfo"), path == "profile.email" ? "email" : "phone",
                        QueueTableName.literal(text), id: id, key: "comrade_id")
                default:
                    let column = [
                        "profile.address.street": "street_address", "profile.address.postal_code": "postal_code",
                        "profile.address.city": "city", "profile.address.country": "country",
                    ][path]!
                    try ensureRow(
                        "membership_simpleaddress", id: id,
                        columns: ["street_address", "postal_code", "city", "country"])
                    try set(
                        table("membership_simpleaddress"), column, QueueTableName.literal(text), id: id,
                        key: "comrade_id")
                }
            }
            return Outcome(error: nil)
        }
    }

    static let memberNotFound = "Member not found"

    /// The register part an applied path writes into, beside the member row itself.
    static func part(_ path: String) -> RegisterPart? {
        guard appliedPaths.contains(path) else { return nil }
        if path == "profile.email" || path == "profile.phone" { return .contact }
        return path.hasPrefix("profile.address.") ? .simpleAddress : nil
    }

    private func memberID(_ kennitala: String) throws -> String? {
        let row = try database.openCursor(
            "SELECT id FROM \(table("membership_comrade")) WHERE ssn = \(QueueTableName.literal(kennitala))"
        ).next()
        return row?.first ?? nil
    }

    private func table(_ name: String) -> String { database.qualified(schema: schema, table: name) }

    private func set(_ table: String, _ column: String, _ value: String, id: String, key: String) throws {
        try database.execute("UPDATE \(table) SET \(column) = \(value) WHERE \(key) = \(Int64(id) ?? -1)")
    }

    /// The member's one row in a contact/address table, created empty when missing (as Django's get_or_create).
    private func ensureRow(_ name: String, id: String, columns: [String]) throws {
        let qualified = table(name)
        guard try database.openCursor("SELECT 1 FROM \(qualified) WHERE comrade_id = \(Int64(id) ?? -1)").next() == nil
        else { return }
        try database.execute(
            "INSERT INTO \(qualified) (comrade_id, \(columns.joined(separator: ", "))) VALUES "
                + "(\(Int64(id) ?? -1), \(columns.map { _ in "''" }.joined(separator: ", ")))")
    }
}
