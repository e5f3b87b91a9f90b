/// The queue table's shape as found in the source: columns, constraints, indexes and the sequence
/// or identity behind `id`, plus a script that recreates it. Captured into every snapshot so that a
/// restore can rebuild the table exactly.
public struct QueueTableDescription: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public let name: String
        /// The type as the engine spells it: `character varying(10)`, `timestamp with time zone`, `datetime`.
        public let type: String
        public let isNullable: Bool
        /// The default expression, if the database has one (Django sets none).
        public let defaultExpression: String?
        /// `a` (ALWAYS) or `d` (BY DEFAULT) for identity columns, nil otherwise.
        public let identity: String?

        public init(name: String, type: String, isNullable: Bool, defaultExpression: String?, identity: String?) {
            self.name = name
            self.type = type
            self.isNullable = isNullable
            self.defaultExpression = defaultExpression
            self.identity = identity
        }
    }

    public struct Constraint: Sendable, Equatable {
        public let name: String
        /// `p` primary key, `f` foreign key, `u` unique, `c` check.
        public let kind: String
        public let definition: String

        package init(name: String, kind: String, definition: String) {
            self.name = name
            self.kind = kind
            self.definition = definition
        }
    }

    public struct Index: Sendable, Equatable {
        public let name: String
        public let definition: String

        package init(name: String, definition: String) {
            self.name = name
            self.definition = definition
        }
    }

    /// The sequence that feeds `id` (serial, identity, or SQLite's AUTOINCREMENT counter).
    public struct Sequence: Sendable, Equatable {
        public let name: String
        /// `serial`, `identity` or `sqlite_autoincrement`.
        public let kind: String
        public let lastValue: Int64
        public let isCalled: Bool

        package init(name: String, kind: String, lastValue: Int64, isCalled: Bool) {
            self.name = name
            self.kind = kind
            self.lastValue = lastValue
            self.isCalled = isCalled
        }
    }

    /// `postgresql` or `sqlite`: the dialect of `definitionScript` and of the type names.
    public let engine: Engine
    public let name: QueueTableName
    public let columns: [Column]
    public let constraints: [Constraint]
    public let indexes: [Index]
    public let sequence: Sequence?
    /// SQL that recreates the table, its constraints, indexes and sequence position, in `engine`'s dialect.
    public let definitionScript: String

    public init(
        engine: Engine, name: QueueTableName, columns: [Column], constraints: [Constraint], indexes: [Index],
        sequence: Sequence?, definitionScript: String
    ) {
        self.engine = engine
        self.name = name
        self.columns = columns
        self.constraints = constraints
        self.indexes = indexes
        self.sequence = sequence
        self.definitionScript = definitionScript
    }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Columns beyond the ones the legacy model defines, carried along verbatim.
    public var extraColumns: [String] {
        columns.map(\.name).filter { !QueueColumnContract.required.map(\.name).contains($0) }
    }
}
