import CutoverSupport
import Postgres

extension CutoverError {
    /// Maps a libpq failure to the exit-code class an operator can act on.
    public init(postgres error: PostgresError) {
        switch error.code {
        case .unreachable:
            self.init(.connection, error.description,
                      nextStep: "check the host and port, that the server runs, and that it accepts TCP connections", cause: error)
        case .authenticationFailed:
            self.init(.connection, error.description,
                      nextStep: "check the user and password (PGPASSWORD, ~/.pgpass or the URI)", cause: error)
        case .invalidTarget:
            self.init(.input, error.description,
                      nextStep: "use postgresql://USER@HOST:PORT/DB or 'host=… port=… dbname=…'", cause: error)
        default:
            // Undefined table/column, or a type we cannot read: the schema is not what we expect.
            let schemaStates: Set<String> = ["42P01", "42703", "42804", "42883", "3F000"]
            if let state = error.sqlState, schemaStates.contains(state) {
                self.init(.schema, error.description, cause: error)
            } else {
                self.init(.internalFailure, error.description, cause: error)
            }
        }
    }
}
