/// The one error type of the Postgres wrapper.
///
/// Descriptions carry the server's message, the SQLSTATE and the statement, and only the redacted
/// form of the connection target: never a password, never a full connection string, never row values.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// A stable code that callers (and exit-code mapping) can switch on.
    public enum Code: String, Sendable {
        /// The connection string could not be parsed.
        case invalidTarget = "invalid_target"
        /// The server could not be reached (refused, unknown host, timeout).
        case unreachable
        /// The server refused the credentials.
        case authenticationFailed = "authentication_failed"
        /// A statement failed on the server.
        case queryFailed = "query_failed"
        /// COPY did not start, or broke half way.
        case copyFailed = "copy_failed"
        /// The connection is closed or broken.
        case connectionClosed = "connection_closed"
        /// A binary COPY field's text is not in the form its encoder writes (`PostgresBinaryColumn`): the
        /// caller may send the rows as text instead.
        case valueNotBinary = "value_not_binary"
    }

    public let code: Code
    /// The server's (or libpq's) primary message.
    public let message: String
    /// The five-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    public let detail: String?
    public let hint: String?
    /// The statement that failed, as sent (parameters are never included).
    public let statement: String?
    /// The redacted connection target, e.g. `postgresql://app@127.0.0.1:5432/register`.
    public let target: String

    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        statement: String? = nil, target: String
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.statement = statement
        self.target = target
    }

    public var description: String {
        var text = "PostgreSQL (\(target)): \(message)"
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        if let detail { text += "\n  detail: \(detail)" }
        if let hint { text += "\n  hint: \(hint)" }
        if let statement { text += "\n  statement: \(statement.prefix(500))" }
        return text
    }
}
