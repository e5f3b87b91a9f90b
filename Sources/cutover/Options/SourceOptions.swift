import ArgumentParser
import CutoverCore
import LegacySync

/// Where the legacy queue lives.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The legacy database: sqlite:PATH, postgresql://USER@HOST:PORT/DB, or a conninfo string.",
        valueName: "URL"))
    var source: String

    @Option(name: .long, help: ArgumentHelp(
        "The queue table, as TABLE or SCHEMA.TABLE (SQLite ignores the schema).", valueName: "NAME"))
    var table: String = QueueTableName.defaultName.description

    func tableName() throws -> QueueTableName { try QueueTableName(parsing: table) }
}
