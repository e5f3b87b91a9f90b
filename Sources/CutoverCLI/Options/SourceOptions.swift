import ArgumentParser
import CutoverCore
import Foundation
import LegacySync

/// Where the legacy queue lives.
struct SourceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The legacy database: sqlite:PATH, postgresql://USER@HOST:PORT/DB, or a conninfo string. "
                + "Not needed when PGSERVICE, PGHOST, PGHOSTADDR or PGDATABASE name it, as for psql.",
            valueName: "URL"))
    var source: String?

    // Optional, with the default in the help, so that a table the command line does not name is seen as
    // unset and the configuration file can name it.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The queue table, as TABLE or SCHEMA.TABLE (SQLite ignores the schema). (default: "
                + "\(QueueTableName.defaultName))",
            valueName: "NAME"))
    var table: String?

    func tableName() throws -> QueueTableName {
        try QueueTableName(parsing: table ?? QueueTableName.defaultName.description)
    }

    /// The legacy database; `fill(from:)` has made sure one is named: `--source`, the configuration
    /// file's, or `postgresql://` for libpq to complete from its environment (PGSERVICE, PGHOST, …).
    func url() throws -> String {
        guard let source else { throw ValidationError(Self.missingSource) }
        return source
    }

    /// ArgumentParser's own words for a missing required option, as when `--source` was required, and
    /// what else names the database.
    static let missingSource =
        "Missing expected argument '--source <URL>' "
        + "(or name the database as for psql with PGSERVICE, PGHOST, PGHOSTADDR or PGDATABASE)"
}

extension SourceOptions: ConfigurationFillable {
    mutating func fill(from configuration: ConfigurationFile) throws {
        source = source ?? configuration.source ?? LibpqEnvironment.source(in: ProcessInfo.processInfo.environment)
        table = table ?? configuration.table
        guard source != nil else { throw ValidationError(Self.missingSource) }
    }
}
