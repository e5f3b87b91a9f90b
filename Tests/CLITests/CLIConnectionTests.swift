import Foundation
import TestSupport
import Testing

/// Connecting the ways libpq supports: URI, conninfo, environment variables only, and a password file.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIConnectionTests {
    @Test func conninfoAndEnvironmentAndPasswordFileAllConnect() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = String(url.split(separator: "/").last!)
            let seeded = try await CutoverBinary.run(
                ["demo", "seed", "--into", url, "--members", "40", "--queue-rows", "80", "--json", "--no-firestore"])
            #expect(seeded.exitCode == 0, "\(seeded.stderr)")
            let summary = try DecodedOutput.result(SeedJSON.self, from: seeded.stdout)
            #expect(summary.firestore == nil, "seeded with --no-firestore")

            let conninfo =
                "host=\(TestPostgres.host) port=\(TestPostgres.port) user=\(TestPostgres.user) "
                + "password=\(TestPostgres.password) dbname=\(database)"
            let viaConninfo = try await CutoverBinary.run(
                ["status", "--source", conninfo, "--json"],
                environment: CutoverBinary.cleanEnvironment())
            #expect(viaConninfo.exitCode == 0, "\(viaConninfo.stderr)")
            #expect(viaConninfo.stdout.contains("\"total_rows\": 80"))
            #expect(!viaConninfo.stdout.contains(TestPostgres.password))

            let environment = CutoverBinary.cleanEnvironment([
                "PGHOST": TestPostgres.host, "PGPORT": TestPostgres.port, "PGUSER": TestPostgres.user,
                "PGPASSWORD": TestPostgres.password, "PGDATABASE": database,
            ])
            let viaEnvironment = try await CutoverBinary.run(
                ["status", "--source", "postgresql://", "--json"], environment: environment)
            #expect(viaEnvironment.exitCode == 0, "\(viaEnvironment.stderr)")
            #expect(
                viaEnvironment.stdout.contains(
                    "\"source\": "
                        + "\"postgresql://\(TestPostgres.user)@\(TestPostgres.host):\(TestPostgres.port)/\(database)\""
                ))

            try await withTemporaryDirectory { directory in
                let passfile = "\(directory)/pgpass"
                try "\(TestPostgres.host):\(TestPostgres.port):*:\(TestPostgres.user):\(TestPostgres.password)\n"
                    .write(toFile: passfile, atomically: true, encoding: .utf8)
                chmod(passfile, 0o600)
                let viaPassfile = try await CutoverBinary.run(
                    [
                        "status", "--source",
                        "postgresql://\(TestPostgres.user)@\(TestPostgres.host):\(TestPostgres.port)/\(database)",
                    ],
                    environment: CutoverBinary.cleanEnvironment(["PGPASSFILE": passfile]))
                #expect(viaPassfile.exitCode == 0, "\(viaPassfile.stderr)")
            }
        }
    }
}
