import ArgumentParser
import CutoverCore
import Foundation
import LegacySync

/// Where the legacy queue lives.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The legacy database: sqlite:PATH, postgresql://USER@HOST:PORT/DB, or a conninfo string. "
            + "Not needed when PGSERVICE, PGHOST, PGHOSTADDR or PGDATABASE name it, as for psql.",
        valueName: "URL"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp(
        "The queue table, as TABLE or SCHEMA.TABLE (SQLite ignores the schema).", valueName: "NAME"))
    var table: String = QueueTableName.defaultName.description

    func validate() throws {
        guard source != nil || LibpqEnvironment.source(in: ProcessInfo.processInfo.environment) != nil else {
            throw ValidationError(
                "give --source URL, or name the database as for psql with PGSERVICE, PGHOST, PGHOSTADDR or PGDATABASE")
        }
    }

    /// `--source`, else `postgresql://` for libpq to complete from its environment (validate() saw one).
    var location: String { source ?? LibpqEnvironment.source }

    func tableName() throws -> QueueTableName { try QueueTableName(parsing: table) }
}
