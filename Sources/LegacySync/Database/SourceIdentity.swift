import CutoverSupport

/// Which database and table an artifact came from, so that a step joining artifacts can tell that
/// they all belong to the database it runs on. PostgreSQL: the cluster's system identifier, the
/// database name, the table's schema, name and OID. SQLite: the file's absolute path and its device
/// and inode (a copy of the file is another database), and the table name.
public struct SourceIdentity: Sendable, Equatable {
    public var engine: Engine
    /// PostgreSQL's `pg_control_system().system_identifier`; nil when the role may not read it.
    public var systemIdentifier: String?
    /// PostgreSQL's database name, or the SQLite file's absolute path.
    public var database: String
    /// SQLite only: `device:inode` of the file.
    public var file: String?
    public var schema: String
    public var table: String
    /// PostgreSQL only; nil when the table does not exist (a dropped or retired table).
    public var tableOID: String?

    public init(
        engine: Engine, systemIdentifier: String?, database: String, file: String?, schema: String, table: String,
        tableOID: String?
    ) {
        (self.engine, self.systemIdentifier, self.database, self.file) = (engine, systemIdentifier, database, file)
        (self.schema, self.table, self.tableOID) = (schema, table, tableOID)
    }

    /// One line for messages: "postgresql system 7312…, database register, table public.q (oid 16402)".
    public var description: String {
        if engine == .sqlite {
            return "sqlite file \(database)" + (file.map { " (device:inode \($0))" } ?? "") + ", table \(table)"
        }
        return "postgresql " + (systemIdentifier.map { "system \($0), " } ?? "")
            + "database \(database), table \(schema).\(table)"
            + (tableOID.map { " (oid \($0))" } ?? "")
    }

    /// What differs between the database an artifact came from (`self`) and the one a step runs on.
    /// `comparingTable: false` leaves out the OID — for a restore into a table that retirement renamed
    /// or dropped, whose new incarnation has another one.
    public func differences(from live: SourceIdentity, comparingTableOID: Bool = true) -> [String] {
        var found: [String] = []
        if engine != live.engine { found.append("engine \(engine) ≠ \(live.engine)") }
        if let mine = systemIdentifier, let theirs = live.systemIdentifier, mine != theirs {
            found.append("system identifier \(mine) ≠ \(theirs)")
        }
        if database != live.database { found.append("database \(database) ≠ \(live.database)") }
        if let mine = file, let theirs = live.file, mine != theirs { found.append("file \(mine) ≠ \(theirs)") }
        // SQLite has no schemas: only the table name counts there.
        if (engine == .sqlite ? table != live.table : (schema, table) != (live.schema, live.table)) {
            found.append(
                "table \(engine == .sqlite ? table : "\(schema).\(table)") ≠ "
                    + "\(engine == .sqlite ? live.table : "\(live.schema).\(live.table)")"
            )
        }
        if comparingTableOID, let mine = tableOID, let theirs = live.tableOID, mine != theirs {
            found.append("table oid \(mine) ≠ \(theirs)")
        }
        return found
    }

    /// As stored in a snapshot's manifest, a parity report, a journal or a restore record.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "engine": .string(engine.rawValue), "database": .string(database), "schema": .string(schema),
            "table": .string(table),
        ]
        if let systemIdentifier { object["system_identifier"] = .string(systemIdentifier) }
        if let file { object["file"] = .string(file) }
        if let tableOID { object["table_oid"] = .string(tableOID) }
        return .object(object)
    }

    public init?(json: JSONValue?) {
        guard let json, let engine = json["engine"]?.stringValue.flatMap(Engine.init(rawValue:)),
            let database = json["database"]?.stringValue,
            let table = json["table"]?.stringValue
        else { return nil }
        self.init(
            engine: engine, systemIdentifier: json["system_identifier"]?.stringValue, database: database,
            file: json["file"]?.stringValue, schema: json["schema"]?.stringValue ?? "", table: table,
            tableOID: json["table_oid"]?.stringValue)
    }

    /// From its canonical JSON text (a manifest value, a bag-info line).
    public init?(text: String?) {
        guard let text, let json = try? JSONValue(parsing: text) else { return nil }
        self.init(json: json)
    }
}
