import CutoverSupport
import Postgres

extension CutoverError {
    /// Maps a libpq failure to the exit-code class an operator can act on.
    public init(postgres error: PostgresError) {
        switch error.code {
        case .unreachable:
            self.init(
                .connection, error.description,
                nextStep: "check the host and port, that the server runs, and that it accepts TCP connections",
                cause: error)
        case .authenticationFailed:
            self.init(
                .connection, error.description,
                nextStep: "check the user and password (PGPASSWORD, ~/.pgpass or the URI)", cause: error)
        case .invalidTarget:
            self.init(
                .input, error.description,
                nextStep: "use postgresql://USER@HOST:PORT/DB or 'host=… port=… dbname=…'", cause: error)
        default:
            // Undefined table/column, or a type we cannot read: the schema is not what we expect.
            let schemaStates: Set<String> = ["42P01", "42703", "42804", "42883", "3F000"]
            if let state = error.sqlState, schemaStates.contains(state) {
                // A schema problem is told in the server's words, without the statement: the
                // operator needs the table or column, not the tool's SQL (still in `cause` for logs).
                self.init(
                    .schema, "PostgreSQL (\(error.target)): the schema is not what cutover reads: \(error.message)",
                    nextStep: "compare the tables and columns with LEGACY.md §3 and the queue table's contract",
                    cause: error)
            } else {
                self.init(.internalFailure, error.description, cause: error)
            }
        }
    }
}
