import CutoverCore
import Firestore
import Foundation
import TestSupport
import Testing

/// `cutover firestore serve` as a separate process, used by the other commands over HTTP.
struct CLIFirestoreTests {
    @Test func seedStatusAndSnapshotAgainstTheLocalServer() async throws {
        try await withTemporaryDirectory { directory in
            let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
            let seed = try await CutoverBinary.run(
                [
                    "demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "300", "--queue-rows", "900",
                    "--firestore", server.url, "--json",
                ], directory: directory)
            #expect(seed.exitCode == 0, "\(seed.stderr)")
            let seeded = try DecodedOutput.result(SeedJSON.self, from: seed.stdout)
            #expect((seeded.firestore?.syncLogs ?? 0) > 30)

            // No --last-run: status asks the server's sync_logs, as Path A did.
            let status = try await CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--firestore", server.url, "--json"],
                directory: directory)
            #expect(status.exitCode == 0, "\(status.stderr)")
            #expect(status.stdout.contains("\"last_successful_run\": \"2025-11-24T03:30:07.412Z\""))
            #expect(status.stdout.contains("\"last_run_origin\": \"sync_logs in \(server.url)"))

            let snapshot = try await CutoverBinary.run(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", server.url, "--out", "s.sqlite",
                    "--json",
                ],
                directory: directory)
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            #expect(snapshot.stdout.contains("\"firestore/members\""))

            // A snapshot carries its own sync_logs: status needs neither --last-run nor a server.
            let fromSnapshot = try await CutoverBinary.run(
                ["status", "--source", "s.sqlite", "--json"], directory: directory)
            #expect(fromSnapshot.stdout.contains("\"last_run_origin\": \"sync_logs captured in the snapshot\""))
            #expect(server.stop() == 0)
        }
    }

    /// As with Google's emulator: `FIRESTORE_EMULATOR_HOST` plus a real project id, which the server
    /// keeps in its own namespace (a file beside its own).
    @Test func emulatorHostAndARealProjectIDWorkAgainstTheLocalServer() async throws {
        try await withTemporaryDirectory { directory in
            let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
            defer { server.stop() }
            let environment = CutoverBinary.cleanEnvironment([
                "FIRESTORE_EMULATOR_HOST": String(server.url.dropFirst("http://".count))
            ])
            let seed = try await CutoverBinary.run(
                [
                    "demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "50", "--queue-rows", "120",
                    "--project", "cutover-prod-4821",
                ],
                environment: environment, directory: directory)
            #expect(seed.exitCode == 0, "\(seed.stderr)")
            let status = try await CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--project", "cutover-prod-4821", "--json"],
                environment: environment,
                directory: directory)
            #expect(status.exitCode == 0, "\(status.stderr)")
            #expect(status.stdout.contains("\"last_successful_run\": \"2025-11-24T03:30:07.412Z\""))
            let own = try EmbeddedDocumentStore(path: "\(directory)/served.sqlite")
            #expect(try await own.count(collection: "members") == 0, "the server's own project is untouched")
            let other = try EmbeddedDocumentStore(
                path: "\(directory)/served.cutover-prod-4821.sqlite",
                database: DatabaseName(project: "cutover-prod-4821"))
            #expect(try await other.count(collection: "members") > 40)
        }
    }

    @Test func faultInjectionAndAuthAreCommandLineOptions() async throws {
        try await withTemporaryDirectory { directory in
            let failing = try ServedProcess.firestore(
                data: "\(directory)/f.sqlite", extraArguments: ["--fail-rate", "503=1"])
            let status = try await CutoverBinary.run(
                ["status", "--source", "sqlite:none.sqlite", "--firestore", failing.url], directory: directory)
            #expect(status.exitCode == 3)  // the SQLite file is missing: refused before any request
            try await DemoWorld(members: 20, queueRows: 40).copy(into: directory, store: .none)
            let unavailable = try await CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--firestore", failing.url], directory: directory)
            #expect(unavailable.exitCode == 3)
            #expect(unavailable.stderr.contains("UNAVAILABLE"))
            #expect(unavailable.stderr.contains("gave up after 5 attempts"))
            failing.stop()

            let locked = try ServedProcess.firestore(data: "\(directory)/a.sqlite", extraArguments: ["--require-auth"])
            let refused = try await CutoverBinary.run(
                [
                    "status", "--source", "sqlite:legacy.sqlite", "--firestore", locked.url, "--token-command",
                    "echo wrong",
                ],
                directory: directory)
            #expect(refused.exitCode == 3)
            #expect(refused.stderr.contains("UNAUTHENTICATED"))
            let accepted = try await CutoverBinary.run(
                [
                    "status", "--source", "sqlite:legacy.sqlite", "--firestore", locked.url, "--token-command",
                    "echo local-access-token",
                ],
                directory: directory)
            #expect(accepted.exitCode == 0, "\(accepted.stderr)")
            locked.stop()

            let bad = try await CutoverBinary.run(
                ["firestore", "serve", "--data", "x.sqlite", "--fail-rate", "nonsense"], directory: directory)
            #expect(bad.exitCode == 64)
        }
    }
}
