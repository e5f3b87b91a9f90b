import CutoverSupport
import Foundation

/// Turns a `--source` / `--into` string into a database: `sqlite:PATH` for SQLite; a
/// `postgres://` or `postgresql://` URI, or a `key=value` conninfo string, for PostgreSQL.
public enum LegacyDatabaseOpener {
    public enum Location: Equatable, Sendable {
        case postgres(String)
        case sqlite(path: String)
    }

    public static func location(of text: String) throws -> Location {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw CutoverError(.input, "sqlite: needs a file path, e.g. sqlite:legacy.sqlite") }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") || text.contains("=") {
            return .postgres(text)
        }
        throw CutoverError(
            .input, "cannot tell what database '\(text.prefix(40))' is",
            nextStep: "use sqlite:PATH, postgresql://USER@HOST:PORT/DB, or a conninfo string like 'host=… dbname=…'")
    }

    /// Opens a database. `create` makes a missing SQLite file (for seeding); reads never create one.
    public static func open(_ text: String, create: Bool = false) throws -> any LegacyDatabase {
        switch try location(of: text) {
        case .postgres(let connectionString): return try PostgresLegacyDatabase(connectionString: connectionString)
        case .sqlite(let path):
            if !create && !FileManager.default.fileExists(atPath: path) {
                throw CutoverError(.connection, "SQLite database \(path) does not exist",
                                   nextStep: "check the path, or create one with `cutover demo seed --into sqlite:\(path)`")
            }
            return try SQLiteLegacyDatabase(path: path, create: create)
        }
    }
}
