import CLibPQ

/// Where to connect: a `postgres://` / `postgresql://` URI, a `key=value` conninfo string, or an empty
/// string (libpq then uses the `PG*` environment variables, the service file and the password file).
///
/// The raw string is kept private; everything printed uses `redacted`.
public struct PostgresTarget: Sendable, CustomStringConvertible {
    let connectionString: String
    /// `postgresql://user@host:port/dbname`, with nothing secret in it.
    public let redacted: String

    /// Parses the string with libpq's own parser, so anything libpq accepts is accepted here.
    public init(_ connectionString: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            var reason = "libpq could not parse it"
            if let errorMessage {
                // libpq quotes fragments of the input in its messages: they may hold a password.
                reason = Self.withoutQuotedFragments(String(cString: errorMessage))
                PQfreemem(errorMessage)
            }
            throw PostgresError(
                code: .invalidTarget, message: "invalid connection string: \(reason)", target: "(unparsable)")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var index = 0
        while let keyword = options[index].keyword {
            if let value = options[index].val { values[String(cString: keyword)] = String(cString: value) }
            index += 1
        }
        self.connectionString = connectionString
        self.redacted = Self.redactedForm(values)
    }

    public var description: String { redacted }

    /// Builds the printable form from parsed options, falling back to the environment as libpq does.
    static func redactedForm(_ values: [String: String]) -> String {
        func pick(_ key: String, _ env: String) -> String? {
            if let value = values[key], !value.isEmpty { return value }
            if let value = getenv(env) { return String(cString: value) }
            return nil
        }
        let user = pick("user", "PGUSER")
        let host = pick("host", "PGHOST") ?? pick("hostaddr", "PGHOSTADDR") ?? "localhost"
        let port = pick("port", "PGPORT") ?? "5432"
        let database = pick("dbname", "PGDATABASE") ?? user ?? ""
        let service = pick("service", "PGSERVICE").map { " (service \($0))" } ?? ""
        let userPart = user.map { "\($0)@" } ?? ""
        return "postgresql://\(userPart)\(host):\(port)/\(database)\(service)"
    }

    static func withoutQuotedFragments(_ text: String) -> String {
        var output = ""
        var inQuote = false
        for character in text where character != "\n" {
            if character == "\"" {
                inQuote.toggle()
                if inQuote { output += "\"…\"" }
            } else if !inQuote {
                output.append(character)
            }
        }
        return output
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
