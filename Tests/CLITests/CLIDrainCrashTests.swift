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

    /// The world both sides start from: CLIDrainTests' default, so the run seeds it once for both suites.
    ///
    /// Its size is not what lands the kills. Each run is killed 30–500 ms after it starts, and in that window a
    /// drain of any demo world is still starting, marking and reading the portal edits: its first batch settled
    /// 0.9 s in with this world and 1.0–1.4 s in with the 3,000 members and 20,000 rows this test used to seed
    /// (PostgreSQL, `--latency 0.03`, load average 5, 2026-12-01). Twenty killed runs left all 287 of this
    /// world's unresolved rows unresolved, so the kills still all land before the drain can finish; the larger
    /// world cost 33 s of CPU per run of this test (its own seed, and both servers, drains and verifies over
    /// five times the members).
    static let world = DemoWorld(members: 600, queueRows: 4_000)

    @Test func killedDrainsEndWhereAnUninterruptedDrainEnds() async throws {
        try await withTemporaryDirectory { directory in
            // Both sides are copies of one seeded world (template copies of its database, copies of its store
            // file), so both start from the same world. The stores are files: the file `firestore serve --data`
            // serves (the same embedded store, the same default project).
            try await Self.world.withCopiedDatabase(store: .at("reference.sqlite"), in: directory) { reference in
                try await Self.world.withCopiedDatabase(store: .at("crashed.sqlite"), in: directory) { crashed in
                    let referenceServer = try ServedProcess.firestore(data: "\(directory)/reference.sqlite")
                    // Latency stretches the drain's start, where the kills land, without costing CPU.
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
