import CutoverCore
import Firestore
import Foundation
import Postgres
import TestSupport
import Testing

/// Crash safety: a drain SIGKILLed at each point of its run in turn — the journal just begun, batches in
/// flight at several depths, a rerun settling the killed run's writes, every batch landed — and rerun each
/// time, ends exactly where an uninterrupted drain of the same data ends.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIDrainCrashTests {
    /// One kill per point, in the order a drain passes them; each killed run is resumed by the next. Points told
    /// by the drain's own lines land in the same phase on a quiet machine and on a busy one. The random delays
    /// used before (20 kills 30–500 ms after each start, 5 s in all on average, start-ups included) could not
    /// reach far into a drain whose batches alone took 9 s (300 reads 30 ms away, one at a time).
    static let killPoints: [DrainKillPoint] = [
        .journalBegun, .landed(0.15), .settlingResumedWrites, .landed(0.3), .landed(0.5), .landed(0.7), .landed(0.9),
        .landed(1),
    ]
    /// Small batches, so that even a small queue gives every kill point batches before and after it.
    static let common = ["--include-failed", "--batch-size", "5", "--backoff", "0.01"]

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

    @Test func killedDrainsEndWhereAnUninterruptedDrainEnds() async throws {
        try await withTemporaryDirectory { directory in
            try await TestPostgres.withFreshDatabase { reference in
                let referenceServer = try ServedProcess.firestore(data: "\(directory)/reference.sqlite")
                defer { referenceServer.stop() }
                // Every outcome the drain knows occurs in a world this size (checked below); more rows would
                // only make each phase longer.
                let seeded = try await CutoverBinary.runOffPool(
                    [
                        "demo", "seed", "--into", reference, "--firestore", referenceServer.url,
                        "--members", "500", "--queue-rows", "3500",
                    ], directory: directory)
                try #require(seeded.exitCode == 0, "\(seeded.stderr)")
                // The crashed world is a copy of the seeded one, not a second seed: both start identical.
                #expect(try shellStatus("sqlite3 reference.sqlite '.backup crashed.sqlite'", in: directory) == 0)
                try await TestPostgres.withCopy(of: reference) { crashed in
                    // Latency keeps commits in flight whenever a kill lands among the batches.
                    let crashServer = try ServedProcess.firestore(
                        data: "\(directory)/crashed.sqlite", extraArguments: ["--latency", "0.03"])
                    defer { crashServer.stop() }
                    try await drainAndCompare(
                        reference: (reference, referenceServer.url), crashed: (crashed, crashServer.url),
                        directory: directory)
                }
            }
        }
    }

    func drainAndCompare(
        reference: (url: String, store: String), crashed: (url: String, store: String), directory: String
    ) async throws {
        let uninterrupted = try await CutoverBinary.runOffPool(
            [
                "drain", "--source", reference.url, "--target", reference.store, "--journal", "reference.journal",
                "--out", "reference-out",
            ] + Self.common, directory: directory)
        #expect(uninterrupted.exitCode == 0, "\(uninterrupted.stderr)")
        let counts = try DecodedOutput.decode(DrainJSON.self, fromFile: "\(directory)/reference-out/drain.json").counts
        for outcome in DrainOutcome.allCases {
            #expect(counts[outcome.rawValue, default: 0] > 0, "no \(outcome) row in the world: \(counts)")
        }

        let crashedRun = [
            "drain", "--source", crashed.url, "--target", crashed.store, "--journal", "crashed.journal",
            "--out", "crashed-out",
        ]
        var selfFailures = 0
        var points = Self.killPoints[...]
        while let point = points.first {
            let run = try await CuedKill.run(
                crashedRun + Self.common + ["-v", "--progress", "plain", "--progress-interval", "0"],
                directory: directory, cue: point.isCue)
            if run.killed {
                points.removeFirst()
            } else if run.exitCode == 0 {
                // Only the last point can be outrun: the drain's finish is all that is left after it.
                #expect(points.count == 1, "the drain finished before the kill at \(point)")
                break
            } else {
                // It failed on its own: like a crash, the next run must resume from it. A few such failures
                // are the machine's (a busy CI box); more are the drain's.
                print("a drain run exited \(run.exitCode) on its own before \(point): \(run.stderr)")
                selfFailures += 1
                try #require(selfFailures <= 3, "the drain failed on its own \(selfFailures) times")
            }
        }
        let finished = try await CutoverBinary.runOffPool(crashedRun + Self.common, directory: directory)
        #expect(finished.exitCode == 0, "\(finished.stdout)\(finished.stderr)")

        let expected = try await state(reference.url, try DocumentStoreOpener.open(reference.store))
        let actual = try await state(crashed.url, try DocumentStoreOpener.open(crashed.store))
        #expect(actual.rows == expected.rows, "queue rows differ from the uninterrupted drain")
        #expect(actual.documents.count == expected.documents.count)
        let differing = expected.documents.keys.filter { expected.documents[$0] != actual.documents[$0] }
        #expect(differing.isEmpty, "\(differing.count) documents differ, e.g. \(differing.sorted().prefix(3))")
        for (world, name) in [(crashed, "crashed"), (reference, "reference")] {
            let verified = try await CutoverBinary.runOffPool(
                [
                    "verify", "--source", world.url, "--target", world.store, "--journal", "\(name).journal",
                    "--out", "verify-\(name)",
                ], directory: directory)
            #expect(verified.exitCode == 0, "\(name): \(verified.stdout)")
        }
    }
}
