import CutoverSupport
import Foundation
import LegacySync

/// `cutover demo seed`: creates the legacy schema and fills it deterministically.
public struct DemoSeeder {
    public struct Plan: Sendable {
        public var seed: UInt64 = 1
        public var members = 2_174
        public var queueRows = 3_000
        public var flavour: DemoSchema.Flavour = .django
        public var table = QueueTableName.defaultName
        /// Drop the tables first when they exist; otherwise an existing schema is refused.
        public var replace = false

        public init() {}
    }

    public struct Summary: Sendable {
        public let target: String
        public let engine: String
        public let table: QueueTableName
        public let flavour: DemoSchema.Flavour
        public let members: Int
        public let placeholderMembers: Int
        public let tally: DemoTally
        public let lastSuccessfulRun: Timestamp
    }

    public let plan: Plan

    public init(plan: Plan) throws {
        guard plan.members >= 10 else { throw CutoverError(.input, "--members must be at least 10") }
        guard plan.members <= KennitalaSequence.capacity - plan.queueRows / 5 - 100 else {
            throw CutoverError(
                .input, "--members can be at most about \(KennitalaSequence.capacity / 1_000_000) million")
        }
        guard plan.queueRows >= 20 else { throw CutoverError(.input, "--queue-rows must be at least 20") }
        self.plan = plan
    }

    /// What would be written, without writing anything.
    public func describe(target: String) -> String {
        """
        would create in \(target):
          schema        \(plan.table.schema) (PostgreSQL; SQLite has none)
          queue table   \(plan.table.table) (\(plan.flavour.rawValue) flavour)
          register      \(RegisterTables.names.joined(separator: ", "))
          members       \(plan.members) (every \(DemoMemberFactory.placeholderEvery)th a 9999 placeholder)
          queue rows    \(plan.queueRows)
          seed          \(plan.seed)
        """
    }

    public func run(into database: any LegacyDatabase, progress: (String) -> Void = { _ in }) throws -> Summary {
        let postgres = database.engine == .postgresql
        let schema = plan.table.schema
        let existing = try ([plan.table.table] + RegisterTables.names).filter {
            try database.tableExists(schema: schema, table: $0)
        }
        if !existing.isEmpty && !plan.replace {
            throw CutoverError(
                .output, "\(database.redactedTarget) already has \(existing.joined(separator: ", "))",
                nextStep: "seed into an empty database, or add --replace to drop and recreate these tables")
        }
        let factory = DemoMemberFactory(
            seed: plan.seed, memberCount: plan.members,
            deletedMemberCapacity: DemoQueueGenerator.deletedMemberCapacity(rowCount: plan.queueRows))
        let generator = DemoQueueGenerator(
            members: factory, rowCount: plan.queueRows, hyphenateSome: plan.flavour == .handwritten)
        let tally = try database.withTransaction { () -> DemoTally in
            if postgres {
                try database.execute(
                    "CREATE SCHEMA IF NOT EXISTS \(QueueTableName.quote(schema)); "
                        + "SET LOCAL search_path TO \(QueueTableName.quote(schema))")
            }
            for table in ([plan.table.table] + RegisterTables.names.reversed()) where existing.contains(table) {
                try database.execute(
                    "DROP TABLE \(database.qualified(schema: schema, table: table))\(postgres ? " CASCADE" : "")")
            }
            try database.execute(DemoSchema.registerDDL(engine: database.engine))
            try database.execute(
                DemoSchema.queueDDL(engine: database.engine, flavour: plan.flavour, table: plan.table.table))
            progress("register: \(plan.members) members")
            try DemoRegisterLoader(database: database, schema: schema, factory: factory).load()
            progress("queue: \(plan.queueRows) rows")
            let tally = try loadQueue(database, generator)
            if postgres {
                // Rows were loaded with explicit ids: move every sequence past them.
                // The address children have no id of their own: their key is the parent's.
                let childTables: Set = ["membership_newlocaladdress", "membership_newforeignaddress"]
                for table in RegisterTables.names + [plan.table.table] where !childTables.contains(table) {
                    let name = database.qualified(schema: schema, table: table)
                    try database.execute(
                        "SELECT setval(pg_get_serial_sequence(\(QueueTableName.literal(name)), 'id'), "
                            + "GREATEST((SELECT max(id) FROM \(name)), 1))")
                }
            }
            return tally
        }
        return Summary(
            target: database.redactedTarget, engine: database.engineVersion, table: plan.table, flavour: plan.flavour,
            members: plan.members, placeholderMembers: plan.members / DemoMemberFactory.placeholderEvery, tally: tally,
            lastSuccessfulRun: DemoTimeline.lastSuccessfulRunCompleted)
    }

    private func loadQueue(_ database: any LegacyDatabase, _ generator: DemoQueueGenerator) throws -> DemoTally {
        let withTimeZone = plan.flavour != .handwritten
        let columns = [
            "id", "member_id", "ssn", "action", "fields_changed", "created_at", "synced_at", "sync_status",
            "error_message", "retry_count",
        ]
        var tally = DemoTally()
        try database.bulkLoad(
            into: database.qualified(schema: plan.table.schema, table: plan.table.table), columns: columns
        ) { sink in
            tally = try generator.generate { row in
                try sink.write([
                    String(row.id), row.memberID.map(String.init), row.ssn, row.action.rawValue,
                    JSONValue.object(row.fieldsChanged).canonicalText,
                    database.timestampText(row.createdAt, withTimeZone: withTimeZone),
                    row.syncedAt.map { database.timestampText($0, withTimeZone: withTimeZone) }, row.status.rawValue,
                    row.errorMessage, String(row.retryCount),
                ])
            }
        }
        return tally
    }
}
