import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import Postgres
import Snapshots
import TestSupport
import Testing

/// The road on LEGACY.md §3's own schema as `demo seed` creates it (Django's DDL), with columns
/// the tool does not know added, and then with each optional register table dropped in turn:
/// snapshot, parity replay, drain, verify and shadow run all work, name what is absent, warn once,
/// and never show a raw SQL error or statement.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct RegisterSchemaRoadTests {
    /// Every register table the tool reads except `membership_comrade`, the one it requires.
    /// (`map_country` is not read: Path B sends the `country_id` as it is.)
    static let optionalTables = RegisterTables.read.filter { $0 != RegisterTables.comrade }

    static let cases: [String?] = [nil] + optionalTables.map(Optional.some)

    /// Output that shows SQL instead of words.
    static func showsSQL(_ outcome: CutoverBinary.Outcome) -> Bool {
        let text = outcome.stdout + outcome.stderr
        return ["DECLARE", "SELECT ", "SQLSTATE", "42P01", "42703"].contains { text.contains($0) }
    }

    /// The register warnings of one command: each message at most once.
    static func registerWarnings(_ outcome: CutoverBinary.Outcome) -> [String] {
        outcome.stderr.split(separator: "\n").filter { $0.contains("cutover.register") }.map {
            String($0[($0.range(of: "cutover.register")!.upperBound)...])
        }
    }

    func run(
        _ arguments: [String], _ directory: String, allowed: Set<Int32> = [0], absent table: String?
    ) async throws
        -> CutoverBinary.Outcome
    {
        let outcome = try await CutoverBinary.run(arguments, directory: directory)
        let name = arguments.prefix(2).joined(separator: " ")
        #expect(allowed.contains(outcome.exitCode), "\(name) exited \(outcome.exitCode): \(outcome.stderr)")
        #expect(!Self.showsSQL(outcome), "\(name) shows SQL: \(outcome.stderr)")
        let warnings = Self.registerWarnings(outcome)
        #expect(Set(warnings).count == warnings.count, "\(name) warns more than once: \(warnings)")
        if let table {
            #expect(warnings.contains { $0.contains(table) }, "\(name) does not name \(table): \(outcome.stderr)")
        } else {
            #expect(warnings.isEmpty, "\(name) warns on a complete register: \(warnings)")
        }
        return outcome
    }

    @Test(arguments: cases)
    func theRoadWorksAndNamesWhatIsAbsent(dropping table: String?) async throws {
        try await withTemporaryDirectory { directory in
            let world = DemoWorld(members: 80, queueRows: 300)
            try await world.withCopiedDatabase(store: .at("firestore.sqlite"), in: directory) { url in
                let store = "embedded:\(directory)/firestore.sqlite"
                let connection = try PostgresConnection(url)
                // What real databases carry beside §3's columns: a type the tool has never heard of
                // (standing in for PostGIS's geometry) and a soft-delete column.
                try connection.execute(
                    """
                    SET client_min_messages = warning;
                    CREATE TYPE gis_point AS (x double precision, y double precision);
                    ALTER TABLE map_address ADD COLUMN geometry gis_point NULL;
                    UPDATE map_address SET geometry = ROW(64.14, -21.94);
                    ALTER TABLE membership_comrade ADD COLUMN deleted_at timestamp with time zone NULL;
                    """)
                if let table { try connection.execute("DROP TABLE \(table) CASCADE") }

                let dry = try await run(
                    ["snapshot", "--dry-run", "--source", url, "--out", "dry.sqlite"], directory, absent: table)
                if let table { #expect(dry.stdout.contains("absent: ") && dry.stdout.contains(table), "\(dry.stdout)") }
                _ = try await run(
                    ["snapshot", "--source", url, "--firestore", store, "--out", "snap.sqlite"], directory,
                    absent: table)
                let manifest = try SnapshotFile(path: "\(directory)/snap.sqlite").manifest
                // Absent is recorded as absent, not as an empty table.
                let absent = (manifest.values["register_absent_tables"] ?? "").split(separator: ",").map(String.init)
                #expect(absent == (table.map { [$0] } ?? []))
                #expect((manifest.table("register_members")?.rowCount ?? 0) == 80)

                _ = try await run(
                    ["parity", "replay", "--snapshot", "snap.sqlite", "--out", "parity"], directory, allowed: [0, 10],
                    absent: table)
                let markdown = try String(contentsOfFile: "\(directory)/parity/parity.md", encoding: .utf8)
                #expect(markdown.contains("official name of the postal code's first municipality"))
                if let table {
                    #expect(markdown.contains(table), "the known differences name the absent table")
                } else {
                    #expect(
                        markdown.contains("\"Reykjavík\" (A) vs \"Reykjavíkurborg\" (B)"),
                        "the municipality names' evidence")
                }

                _ = try await run(
                    ["drain", "--source", url, "--target", store, "--include-failed"], directory, absent: table)
                _ = try await run(["verify", "--source", url, "--target", store], directory, absent: table)

                // The shadow run's first pass marks where it starts; a create after it reads the register.
                let shadow = [
                    "shadow", "run", "--source", url, "--record", "record.sqlite", "--shadow",
                    "embedded:\(directory)/shadow.sqlite",
                ]
                _ = try await run(shadow, directory, absent: table)
                let member = try #require(
                    try connection.query(
                        "SELECT id, ssn FROM membership_comrade WHERE ssn NOT LIKE '9999%' ORDER BY id LIMIT 1"
                    ).rows.first)
                try connection.execute(
                    """
                    INSERT INTO membership_membersyncqueue (member_id, ssn, action, fields_changed, created_at, \
                    synced_at,
                        sync_status, error_message, retry_count)
                    VALUES (\(member[0]!), '\(member[1]!)', 'create', '{}', now(), NULL, 'pending', '', 0)
                    """)
                let second = try await run(shadow, directory, absent: table)
                #expect(second.stdout.contains("(1 written, 0 without a write, 0 failed"), "\(second.stdout)")
            }
        }
    }
}
