import CutoverCore
import Firestore
import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

/// Crash safety: a drain killed with SIGKILL at random points, again and again, and rerun each
/// time, ends exactly where an uninterrupted drain of the same data ends.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIDrainCrashTests {
    static let kills = 20

    /// Everything a drain decides, without the times it ran at.
    func state(
        _ url: String, _ store: any DocumentStore
    ) async throws -> (rows: [[String?]], documents: [String: String]) {
        let rows = try PostgresConnection(url).query(
            "SELECT id, sync_status, retry_count, error_message, synced_at IS NULL FROM membership_membersyncqueue "
                + "ORDER BY id"
        ).rows
        var documents: [String: String] = [:]
        let times: Set<String> = ["synced_at", "last_modified", "deleted_at", "last_sync", "created_at"]
        for collection in ["members", "sync_queue"] {
            try await store.forEachDocument(in: collection) { document in
                var fields = document.fields
                if case .map(var metadata)? = fields["metadata"] {
                    for key in times { metadata[key] = nil }
                    fields["metadata"] = .map(metadata)
                }
                for key in ["synced_at", "syncedAt"] { fields[key] = nil }
                documents[document.path] = FirestoreValue.map(fields).json.canonicalText
            }
        }
        return (rows, documents)
    }

    static let common = ["--include-failed", "--batch-size", "10", "--backoff", "0.01"]

    /// Drains `source` into `target` again and again, each run SIGKILLed at a random point, until
    /// `kills` kills have landed; the number of runs it took.
    func drainKilledRepeatedly(
        source: String, target: String, directory: String, kills wanted: Int
    ) async throws -> (kills: Int, runs: Int) {
        var kills = 0
        var runs = 0
        var selfFailures = 0
        while kills < wanted && runs < 200 {
            runs += 1
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
            process.arguments =
                [
                    "drain", "--source", source, "--target", target, "--journal", "crashed.journal",
                    "--out", "crashed-out", "--quiet",
                ] + Self.common
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            let errors = "\(directory)/crashed-run-\(runs).stderr"
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errors)
            try process.run()
            // The kill is timed on a dispatch queue, not with Task.sleep: on two cores the test
            // runner's cooperative threads can be busy with other tests for seconds, and the drain
            // would finish before a sleeping task woke. Whether the kill landed is read from how
            // the process ended.
            let pid = process.processIdentifier
            // Never after the drain was reaped: its pid may by then be another process's (pids wrap at
            // 32768 here, and a busy machine gets there in seconds; one such late kill took down the
            // Firestore emulator that other suites were using).
            let reaped = Mutex(false)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int.random(in: 30...500))) {
                reaped.withLock { if !$0 { _ = kill(pid, SIGKILL) } }
            }
            // Waited for on a thread of its own: this loop runs for a minute or more, and holding one of
            // the two cooperative threads that long halved what the rest of the suite could use.
            try await offThePool { process.waitUntilExit() }
            reaped.withLock { $0 = true }
            if process.terminationReason == .uncaughtSignal {
                kills += 1
            } else {
                guard process.terminationStatus != 0 else {
                    print("drain run \(runs) finished before the kill (\(kills) kills so far)")
                    break
                }
                // It failed on its own: like a crash, the next run must resume from it. A few such
                // failures are the machine's (a busy CI box); more are the drain's.
                let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                print("drain run \(runs) exited \(process.terminationStatus) on its own: \(text)")
                selfFailures += 1
                #expect(selfFailures <= 3, "run \(runs) failed: \(text)")
            }
        }
        return (kills, runs)
    }

    @Test func killedDrainsEndWhereAnUninterruptedDrainEnds() async throws {
        try await withTemporaryDirectory { directory in
            try await TestPostgres.withFreshDatabase { reference in
                // One seed for both sides: the crashed side starts from a copy of the reference's database
                // (a template copy) and store file (copied while no server has it open), so both start from
                // the same world, and the suite pays for one seed of 20,000 rows instead of two.
                // The store is seeded as a file: it is the file `firestore serve --data` serves (the same
                // embedded store, the same default project), and writing it directly costs the seed half
                // its CPU (3.4 s against 7.3 s with a server's HTTP in between).
                let seeded = try await CutoverBinary.run(
                    [
                        "demo", "seed", "--into", reference, "--firestore", "embedded:\(directory)/reference.sqlite",
                        "--members", "3000", "--queue-rows", "20000",
                    ], directory: directory)
                try #require(seeded.exitCode == 0, "\(seeded.stderr)")
                for suffix in ["", "-wal"]
                where FileManager.default.fileExists(atPath: "\(directory)/reference.sqlite\(suffix)") {
                    try FileManager.default.copyItem(
                        atPath: "\(directory)/reference.sqlite\(suffix)", toPath: "\(directory)/crashed.sqlite\(suffix)"
                    )
                }
                try await TestPostgres.withCopiedDatabase(of: reference) { crashed in
                    let referenceServer = try ServedProcess.firestore(data: "\(directory)/reference.sqlite")
                    // Latency stretches the drain so that kills land all through it.
                    let crashServer = try ServedProcess.firestore(
                        data: "\(directory)/crashed.sqlite", extraArguments: ["--latency", "0.03"])
                    defer {
                        referenceServer.stop()
                        crashServer.stop()
                    }
                    let referenceURL = referenceServer.url
                    // The reference side needs nothing from the crashed side until the comparison: it drains
                    // while the crashed side is killed and rerun.
                    async let uninterrupted = CutoverBinary.run(
                        [
                            "drain", "--source", reference, "--target", referenceURL, "--journal",
                            "reference.journal",
                            "--out", "reference-out",
                        ] + Self.common, directory: directory)
                    let (kills, runs) = try await drainKilledRepeatedly(
                        source: crashed, target: crashServer.url, directory: directory, kills: Self.kills)
                    #expect(kills >= Self.kills, "only \(kills) kills landed in \(runs) runs")
                    let finished = try await CutoverBinary.run(
                        [
                            "drain", "--source", crashed, "--target", crashServer.url, "--journal", "crashed.journal",
                            "--out", "crashed-out",
                        ] + Self.common, directory: directory)
                    #expect(finished.exitCode == 0, "\(finished.stdout)\(finished.stderr)")
                    let referenceDrain = try await uninterrupted
                    #expect(referenceDrain.exitCode == 0, "\(referenceDrain.stderr)")

                    let expected = try await state(reference, try DocumentStoreOpener.open(referenceServer.url))
                    let actual = try await state(crashed, try DocumentStoreOpener.open(crashServer.url))
                    #expect(actual.rows == expected.rows, "queue rows differ from the uninterrupted drain")
                    #expect(actual.documents.count == expected.documents.count)
                    let differing = expected.documents.keys.filter { expected.documents[$0] != actual.documents[$0] }
                    #expect(
                        differing.isEmpty, "\(differing.count) documents differ, e.g. \(differing.sorted().prefix(3))")
                    async let referenceVerified = CutoverBinary.run(
                        [
                            "verify", "--source", reference, "--target", referenceURL,
                            "--journal", "reference.journal", "--out", "verify-reference",
                        ], directory: directory)
                    let verified = try await CutoverBinary.run(
                        [
                            "verify", "--source", crashed, "--target", crashServer.url,
                            "--journal", "crashed.journal", "--out", "verify-out",
                        ], directory: directory)
                    #expect(verified.exitCode == 0, "\(verified.stdout)")
                    #expect(try await referenceVerified.exitCode == 0, "the reference drain verifies too")
                }
            }
        }
    }
}
