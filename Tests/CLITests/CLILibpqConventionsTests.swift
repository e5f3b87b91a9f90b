import CutoverCore
import CutoverSupport
import Foundation
import Postgres
import Snapshots
import TestSupport
import Testing

/// libpq's conventions through the binary: with `PGSERVICE` and a service file (`PGSERVICEFILE`) naming
/// the database, `status` and `snapshot` need no `--source`, and name what libpq connected to
/// (`PQhost`, `PQport`, `PQdb`), never `localhost:5432`.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLILibpqConventionsTests {
    @Test func aServiceNamesTheDatabaseAndOutputNamesWhereLibpqConnected() async throws {
        try await withTemporaryDirectory { directory in
            try await TestPostgres.withFreshDatabase { url in
                let database = String(url.split(separator: "/").last!)
                let seeded = try await CutoverBinary.run([
                    "demo", "seed", "--into", url, "--members", "30", "--queue-rows", "60", "--no-firestore",
                    "--quiet",
                ])
                #expect(seeded.exitCode == 0, "\(seeded.stderr)")
                let serviceFile = "\(directory)/pg_service.conf"
                try """
                [cutover-register]
                host=\(TestPostgres.host)
                port=\(TestPostgres.port)
                user=\(TestPostgres.user)
                password=\(TestPostgres.password)
                dbname=\(database)

                """.write(toFile: serviceFile, atomically: true, encoding: .utf8)
                let environment = CutoverBinary.cleanEnvironment([
                    "PGSERVICEFILE": serviceFile, "PGSERVICE": "cutover-register",
                ])
                let connected =
                    "postgresql://\(TestPostgres.user)@\(TestPostgres.host):\(TestPostgres.port)/\(database)"

                let status = try await CutoverBinary.run(
                    ["status", "--json"], environment: environment, directory: directory)
                #expect(status.exitCode == 0, "\(status.stderr)")
                #expect(status.stdout.contains("\"source\": \"\(connected)\""), "\(status.stdout)")
                #expect(status.stdout.contains("\"total_rows\": 60"))

                let snapshot = try await CutoverBinary.run(
                    ["snapshot", "--out", "s.sqlite"], environment: environment, directory: directory)
                #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
                #expect(snapshot.stdout.contains("source   \(connected) ("), "\(snapshot.stdout)")
                let manifest = try SnapshotFile(path: "\(directory)/s.sqlite").manifest
                #expect(manifest.values["source_target"] == connected)
                #expect(manifest.values["source_database"] == database)
                for output in [status.stdout, status.stderr, snapshot.stdout, snapshot.stderr] {
                    #expect(!output.contains("localhost:5432") && !output.contains(TestPostgres.password))
                }

                // PGDATABASE alone (with the rest from PGHOST, PGPORT, PGUSER, PGPASSWORD) names it too.
                let variables = CutoverBinary.cleanEnvironment([
                    "PGHOST": TestPostgres.host, "PGPORT": TestPostgres.port, "PGUSER": TestPostgres.user,
                    "PGPASSWORD": TestPostgres.password, "PGDATABASE": database,
                ])
                let byVariables = try await CutoverBinary.run(
                    ["status", "--json"], environment: variables, directory: directory)
                #expect(
                    byVariables.exitCode == 0 && byVariables.stdout.contains("\"source\": \"\(connected)\""),
                    "\(byVariables.stderr)")

                // A refused connection names the server libpq tried, not a default.
                try """
                [elsewhere]
                host=127.0.0.1
                port=1
                dbname=register

                """.write(toFile: serviceFile, atomically: true, encoding: .utf8)
                let refused = try await CutoverBinary.run(
                    ["status"],
                    environment: CutoverBinary.cleanEnvironment([
                        "PGSERVICEFILE": serviceFile, "PGSERVICE": "elsewhere",
                    ]),
                    directory: directory)
                #expect(refused.exitCode == ExitCode.connection.code, "\(refused.stderr)")
                #expect(refused.stderr.contains("127.0.0.1:1/register"), "\(refused.stderr)")
            }
        }
    }

    /// Without --source and with nothing in libpq's environment naming a database: a usage error saying how.
    @Test func withoutSourceOrLibpqVariablesTheCommandSaysWhatToGive() async throws {
        for command in [
            ["status"], ["snapshot"], ["drain", "--target", "embedded:x.sqlite"],
            ["verify", "--target", "embedded:x.sqlite"],
        ] {
            let outcome = try await CutoverBinary.run(
                command, environment: CutoverBinary.cleanEnvironment(["PGPORT": "5432", "PGUSER": "app"]))
            #expect(outcome.exitCode == ExitCode.usage.code, "\(command): \(outcome.stderr)")
            #expect(outcome.stderr.contains("PGSERVICE"), "\(command): \(outcome.stderr)")
        }
    }
}

/// The printed form of what libpq connected to, for every kind of host libpq reports.
@Suite struct ConnectedTargetFormTests {
    @Test func hostsSocketsAndIPv6PrintAsURIsLibpqAcceptsBack() throws {
        #expect(
            PostgresTarget.uri(user: "app", host: "db.example", port: "6543", database: "register")
                == "postgresql://app@db.example:6543/register")
        #expect(
            PostgresTarget.uri(user: "app", host: "/var/run/postgresql", port: "5432", database: "register")
                == "postgresql://app@:5432/register?host=/var/run/postgresql")
        #expect(
            PostgresTarget.uri(user: nil, host: "::1", port: "5432", database: "my db")
                == "postgresql://[::1]:5432/my%20db")
        // Each form parses back with libpq's own parser.
        for uri in ["postgresql://app@:5432/register?host=/var/run/postgresql", "postgresql://[::1]:5432/my%20db"] {
            #expect(try PostgresTarget(uri).redacted.hasPrefix("postgresql://"))
        }
    }
}
