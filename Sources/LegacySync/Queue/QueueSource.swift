/// Where queue rows can be read from: a live legacy database, or a snapshot file.
public protocol QueueSource {
    /// Redacted: safe to print.
    var label: String { get }
    var engineVersion: String { get }
    func describeQueue() throws -> QueueTableDescription
    func scanQueue(_ description: QueueTableDescription, _ body: (any RawRow) throws -> Void) throws
    /// Runs `body` against one consistent view of the source.
    func consistently<T>(_ body: () throws -> T) throws -> T
}

/// The queue table of a live database.
public struct LiveQueueSource: QueueSource {
    public let database: any LegacyDatabase
    public let table: QueueTableName

    public init(database: any LegacyDatabase, table: QueueTableName) {
        self.database = database
        self.table = table
    }

    public var label: String { database.redactedTarget }
    public var engineVersion: String { database.engineVersion }
    public func describeQueue() throws -> QueueTableDescription { try database.describeQueueTable(table) }
    public func scanQueue(_ description: QueueTableDescription, _ body: (any RawRow) throws -> Void) throws {
        try database.scanQueueRows(description, body)
    }
    public func consistently<T>(_ body: () throws -> T) throws -> T {
        try database.withConsistentRead { _ in try body() }
    }
}
