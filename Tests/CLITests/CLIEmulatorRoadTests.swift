import CutoverCore
import Firestore
import Foundation
import Snapshots
import TestSupport
import Testing

/// The whole road against Google's own Firestore emulator, through the binary, as an operator would
/// point it there: `FIRESTORE_EMULATOR_HOST` plus a real-looking project id (`--firestore http://…` on
/// the steps that name their store). Skipped, with the reason, where the test script could not start it.
@Suite(.enabled(if: TestEmulator.isConfigured, Comment(rawValue: TestEmulator.skipReason)))
struct CLIEmulatorRoadTests {
    @Test func seedSnapshotParityDrainVerifyAndRestoreAgainstTheEmulator() async throws {
        await TestEmulator.warmedUp()
        let project = TestEmulator.freshProject()
        try await withTemporaryDirectory { directory in
            let environment = CutoverBinary.cleanEnvironment(["FIRESTORE_EMULATOR_HOST": TestEmulator.host!])
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, environment: environment, directory: directory)
            }
            let seeded = try await run([
                "demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "300", "--queue-rows", "900",
                "--project", project, "--json",
            ])
            #expect(seeded.exitCode == 0, "\(seeded.stderr)")
            let firestore =
                (try DecodedOutput.resultObject(seeded.stdout))?["firestore"]
                as? [String: Any]
            #expect((firestore?["sync_logs"] as? Int ?? 0) > 30)

            // Path A's own query for the last run, answered by the emulator.
            let status = try await run(["status", "--source", "sqlite:legacy.sqlite", "--project", project, "--json"])
            #expect(status.exitCode == 0, "\(status.stderr)")
            #expect(status.stdout.contains("\"last_successful_run\": \"2025-11-24T03:30:07.412Z\""))

            let snapshot = try await run([
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", TestEmulator.url, "--project", project,
                "--out", "before.sqlite", "--json",
            ])
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            let before = try SnapshotFile(path: "\(directory)/before.sqlite")
            let members = try before.firestoreDocuments("members")
            #expect(members.count > 200, "the snapshot holds the emulator's members")

            let parity = try await run(["parity", "replay", "--snapshot", "before.sqlite", "--out", "parity"])
            #expect([0, 10].contains(parity.exitCode), "\(parity.stdout)\(parity.stderr)")

            let drained = try await run([
                "drain", "--source", "sqlite:legacy.sqlite", "--include-failed", "--project", project, "--json",
            ])
            #expect(drained.exitCode == 0, "\(drained.stdout)\(drained.stderr)")
            let counts =
                (try DecodedOutput.resultObject(drained.stdout))?["counts"]
                as? [String: Int]
            #expect((counts?["applied"] ?? 0) > 0 && counts?["dead"] == 0, "\(drained.stdout)")
            // The drain wrote into the emulator: the members differ from the snapshot's now.
            var options = DocumentStoreOpener.Options()
            options.project = project
            let emulator = try DocumentStoreOpener.open(TestEmulator.url, options: options)
            var changed = 0
            let captured = Dictionary(uniqueKeysWithValues: members.map { ($0.path, $0.fields) })
            try await emulator.forEachDocument(in: "members") { if captured[$0.path] != $0.fields { changed += 1 } }
            #expect(changed > 0)

            let verified = try await run(["verify", "--source", "sqlite:legacy.sqlite", "--project", project])
            #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.contains("verify: PASS"))

            // The rollback: the queue table and the documents back as the snapshot holds them.
            let restored = try await run([
                "restore", "--snapshot", "before.sqlite", "--into", "sqlite:legacy.sqlite", "--replace",
                "--firestore", TestEmulator.url, "--project", project,
            ])
            #expect(restored.exitCode == 0, "\(restored.stdout)\(restored.stderr)")
            #expect(restored.stdout.contains("content hash matches the snapshot"))
            #expect(restored.stdout.contains("Firestore: members \(members.count)"))
            let again = try await run([
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", TestEmulator.url, "--project", project,
                "--out", "after.sqlite",
            ])
            #expect(again.exitCode == 0, "\(again.stderr)")
            let after = try SnapshotFile(path: "\(directory)/after.sqlite")
            for collection in ["members", "sync_logs", "sync_queue"] {
                let expected = try before.firestoreDocuments(collection).map { [$0.path: $0.fields] }
                let found = try after.firestoreDocuments(collection).map { [$0.path: $0.fields] }
                #expect(found == expected, "\(collection) is back as the snapshot holds it")
            }
        }
        await TestEmulator.reset(project: project)
    }
}
