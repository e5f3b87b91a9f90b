import CutoverSupport
import Synchronization

/// Which parts of the member register a database holds, found before anything is read: a missing
/// table or column is named here, once, in words, rather than surfacing as the SQL error of a
/// cursor. Only `membership_comrade` (with the columns both paths serialise) is required.
public struct RegisterSchema: Sendable, Equatable {
    /// One optional part that cannot be read, and why.
    public struct Absence: Sendable, Equatable {
        public let part: RegisterPart
        /// The cause in words: "the register has no titles table (public.membership_comradetitle)".
        public let cause: String
        /// The tables of the part that are absent (unqualified).
        public let absentTables: [String]
        /// `table.column` for each column missing from a table that is there.
        public let missingColumns: [String]

        /// The cause and what follows from it, for a warning.
        public var message: String { "\(cause): \(part.consequence)" }
    }

    public let absences: [Absence]
    /// The columns of each register table that is there.
    public let tableColumns: [String: Set<String>]

    public var available: Set<RegisterPart> { Set(RegisterPart.allCases).subtracting(absences.map(\.part)) }
    public func has(_ part: RegisterPart) -> Bool { !absences.contains { $0.part == part } }
    /// The register tables that are absent, sorted.
    public var absentTables: [String] { Array(Set(absences.flatMap(\.absentTables))).sorted() }
    public var missingColumns: [String] { Array(Set(absences.flatMap(\.missingColumns))).sorted() }

    public init(absences: [Absence], tableColumns: [String: Set<String>]) {
        (self.absences, self.tableColumns) = (absences, tableColumns)
    }

    /// Looks at the register's tables and columns in one query.
    /// Throws a schema error naming what is missing when `membership_comrade` or one of its columns is.
    public static func inspect(_ database: any LegacyDatabase, schema: String) throws -> RegisterSchema {
        let columns = try database.columnNames(schema: schema, tables: RegisterTables.read)
        func name(_ table: String) -> String { database.engine == .sqlite ? table : "\(schema).\(table)" }
        guard let comrade = columns[RegisterTables.comrade] else {
            throw CutoverError(
                .schema,
                "the member register is missing from \(database.redactedTarget): there is no table "
                    + "\(name(RegisterTables.comrade))",
                nextStep:
                    "point --table at the schema that holds the register, or leave the register out with --no-register "
                    + "where the command offers it"
            )
        }
        let lacking = RegisterTables.comradeColumns.filter { !comrade.contains($0) }
        guard lacking.isEmpty else {
            throw CutoverError(
                .schema,
                "\(name(RegisterTables.comrade)) has no column \(lacking.joined(separator: ", ")), "
                    + "which both paths' serialisation of a member needs",
                nextStep: "point --table at the schema that holds Django's register")
        }
        var absences: [Absence] = []
        for part in RegisterPart.allCases {
            let absent = part.needs.map(\.table).filter { columns[$0] == nil }
            let missing = part.needs.flatMap { need in
                columns[need.table].map { present in
                    need.columns.filter { !present.contains($0) }.map { "\(need.table).\($0)" }
                } ?? []
            }
            if !absent.isEmpty {
                absences.append(
                    .init(
                        part: part,
                        cause:
                            "the register has no \(part.noun) table (\(absent.map(name).joined(separator: ", ")) "
                            + "absent)",
                        absentTables: absent, missingColumns: missing))
            } else if !missing.isEmpty {
                absences.append(
                    .init(
                        part: part,
                        cause:
                            "\(missing.map(name).joined(separator: ", ")) missing, which the register's \(part.noun) "
                            + "part needs",
                        absentTables: [], missingColumns: missing))
            } else if let required = part.requires, let other = absences.first(where: { $0.part == required }) {
                absences.append(.init(part: part, cause: other.cause, absentTables: [], missingColumns: []))
            }
        }
        return RegisterSchema(absences: absences, tableColumns: columns)
    }

    /// Logs each absence as a warning, once per process however many readers a command opens (a
    /// drain opens one per batch).
    public func warnOnce() {
        // A part absent only because the part it builds on is absent says nothing new.
        for absence in absences where !(absence.absentTables.isEmpty && absence.missingColumns.isEmpty) {
            let first = Self.warned.withLock { $0.insert(absence.message).inserted }
            if first { Log.register.warning("\(absence.message)") }
        }
    }

    private static let warned = Mutex<Set<String>>([])
}
