import Foundation
import Postgres

/// The PostgreSQL server the test script started (`scripts/test.sh`), described by environment
/// variables. Tests that need it are enabled only when it is configured, and say so when skipped.
public enum TestPostgres {
    public static let skipReason =
        "PostgreSQL integration test SKIPPED: CUTOVER_TEST_PG_URL is not set (run scripts/test.sh)"

    public static var url: String? { ProcessInfo.processInfo.environment["CUTOVER_TEST_PG_URL"] }
    public static var isConfigured: Bool { url != nil }

    static func variable(_ name: String) -> String { ProcessInfo.processInfo.environment[name] ?? "" }
    public static var host: String { variable("CUTOVER_TEST_PG_HOST") }
    public static var port: String { variable("CUTOVER_TEST_PG_PORT") }
    public static var user: String { variable("CUTOVER_TEST_PG_USER") }
    public static var password: String { variable("CUTOVER_TEST_PG_PASSWORD") }

    /// A connection URL for database `name` on the test server.
    public static func url(database name: String) -> String {
        "postgresql://\(user):\(password)@\(host):\(port)/\(name)"
    }

    /// Creates an empty database, runs `body` with its URL, then drops it.
    public static func withFreshDatabase<T>(_ body: (String) throws -> T) throws -> T {
        let name = try createDatabase()
        defer { dropDatabase(name) }
        return try body(url(database: name))
    }

    /// The async twin of `withFreshDatabase`.
    public static func withFreshDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = try createDatabase()
        defer { dropDatabase(name) }
        return try await body(url(database: name))
    }

    /// Creates a database as a copy of the one at `templateURL` (which nothing may be connected to: PostgreSQL
    /// copies it file by file), runs `body` with the copy's URL, then drops the copy. Far cheaper than
    /// seeding the same world twice.
    public static func withCopiedDatabase<T>(
        of templateURL: String, _ body: (String) async throws -> T
    ) async throws -> T {
        let template = String(templateURL.split(separator: "/").last ?? "")
        let name = try createDatabase(template: template)
        defer { dropDatabase(name) }
        return try await body(url(database: name))
    }

    static func createDatabase(template: String? = nil) throws -> String {
        // Letters only: a name with ten digits in a row reads as a kennitala, and the masker rightly hides
        // it in every message (CLISourceIdentityTests failed when a random name held one).
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let name = "t_" + String((0..<16).map { _ in letters.randomElement()! })
        let admin = try PostgresConnection(url ?? "")
        try admin.execute("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
        return String(name)
    }

    static func dropDatabase(_ name: String) {
        guard let admin = try? PostgresConnection(url ?? "") else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        admin.close()
    }
}
