import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// The drain with several commits in flight, crashed in between: one commit answered, one landed in the
/// target but never answered, one never sent. Nothing is recorded as done before its write's answer came,
/// and the rerun ends exactly where an uninterrupted drain of the same world ends.
struct DrainInFlightCrashTests {
    /// The target, with the crash staged: the drain's first batch commit goes through, the second lands
    /// and is never answered, later ones are never answered (nor written), and the fourth batch's read is
    /// held until the test crashes the run, which then fails every call as a dying process would.
    actor CrashingStore: DocumentStore {
        struct Crash: Error {}

        nonisolated let base: any DocumentStore
        nonisolated var label: String { base.label }
        nonisolated var database: DatabaseName { base.database }
        private var reads = 0
        private(set) var batchCommits: [[String]] = []
        private var heldRead: CheckedContinuation<Void, any Error>?
        private var unanswered: [CheckedContinuation<CommitResult, any Error>] = []
        private var crashed = false

        init(over base: any DocumentStore) { self.base = base }

        /// The fourth read is held with three batch commits sent: the moment the test crashes the run at.
        var atCrashPoint: Bool { heldRead != nil && batchCommits.count >= 3 }

        func crash() {
            crashed = true
            heldRead?.resume(throwing: Crash())
            heldRead = nil
            for commit in unanswered { commit.resume(throwing: Crash()) }
            unanswered = []
        }

        func batchGet(_ paths: [String]) async throws -> [String: FirestoreDocument] {
            guard !crashed else { throw Crash() }
            reads += 1
            if reads == 4 { try await withCheckedThrowingContinuation { heldRead = $0 } }
            return try await base.batchGet(paths)
        }

        func commit(_ writes: [FirestoreWrite]) async throws -> CommitResult {
            guard !crashed else { throw Crash() }
            // Before the first batch's read: the portal edits' refreshes, not the batches.
            guard reads > 0 else { return try await base.commit(writes) }
            batchCommits.append(writes.map(\.documentPath))
            switch batchCommits.count {
            case 1: return try await base.commit(writes)
            case 2: _ = try await base.commit(writes)
            default: break
            }
            return try await withCheckedThrowingContinuation { unanswered.append($0) }
        }

        func getDocument(_ path: String) async throws -> FirestoreDocument? {
            guard !crashed else { throw Crash() }
            return try await base.getDocument(path)
        }

        func listDocuments(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentPage {
            guard !crashed else { throw Crash() }
            return try await base.listDocuments(collection: collection, pageSize: pageSize, pageToken: pageToken)
        }

        func runQuery(_ query: StructuredQuery, parent: String) async throws -> [FirestoreDocument] {
            guard !crashed else { throw Crash() }
            return try await base.runQuery(query, parent: parent)
        }

        func reset() async throws { throw Crash() }
    }

    func configuration(_ world: CutoverWorld) -> Drainer.Configuration {
        var configuration = Drainer.Configuration(table: world.table, journalPath: world.journalPath)
        configuration.includeFailed = true
        configuration.backoffBase = 0
        configuration.batchSize = 10
        configuration.commitsInFlight = 6
        // Each batch read when it is planned, so that the fourth read is the fourth batch's. Reads record
        // nothing: the crash's staging is about commits (the SIGKILL test runs with reads ahead).
        configuration.readsAhead = 0
        return configuration
    }

    func memberFields(_ world: CutoverWorld) async throws -> [String: String] {
        var documents: [String: String] = [:]
        try await world.store.forEachDocument(in: "members") {
            documents[$0.path] = FirestoreValue.map($0.fields).json.canonicalText
        }
        return documents
    }

    @Test func aCrashBetweenInFlightCommitsRecordsNothingEarlyAndTheRerunEndsAsAnUninterruptedDrain() async throws {
        try await withTemporaryDirectory { directory in
            for name in ["reference", "crashed"] {
                try FileManager.default.createDirectory(
                    atPath: "\(directory)/\(name)", withIntermediateDirectories: true)
            }
            let reference = try await CutoverWorld(directory: "\(directory)/reference")
            let world = try await CutoverWorld(directory: "\(directory)/crashed")
            // The drain's writes get update times of their own, apart from the seeded documents'.
            for clock in [reference.clock, world.clock] { clock.advance(seconds: 60) }
            let expected = try await Drainer(
                configuration: configuration(reference), database: reference.database, store: reference.store,
                clock: reference.clock.closure
            ).run()
            #expect(expected.exitCode == 0 || expected.exitCode == 20)

            let store = CrashingStore(over: world.store)
            // Beside the drain, on connections of its own: waits for the crash point, looks, then crashes the run.
            let (journalPath, legacy, now) = (
                world.journalPath, "sqlite:\(directory)/crashed/legacy.sqlite", world.clock.now
            )
            let crasher = Task { () async -> (commits: [[String]], problems: [String]) in
                var waited = 0
                while await !store.atCrashPoint, waited < 3_000 {
                    try? await Task.sleep(nanoseconds: 10_000_000)
                    waited += 1
                }
                let commits = await store.batchCommits
                var problems: [String] = []
                do {
                    guard await store.atCrashPoint && commits.count == 3 else {
                        throw CutoverError(.input, "never three commits in flight at once: \(commits.count)")
                    }
                    // No row of a write still unanswered has an outcome, none is marked synced, and every such
                    // write is announced.
                    let journal = try DrainJournal.existing(path: journalPath)
                    guard let journal, let drain = try journal.latest() else {
                        throw CutoverError(.input, "no journal")
                    }
                    let outcomes = try journal.outcomes(drain)
                    // The rows each unanswered write applies (rows of its member settled without a write, as
                    // superseded, are recorded at once, rightly).
                    let announced = Dictionary(
                        try journal.openIntents(drain).map {
                            (DocumentPath.member($0.kennitala).description, $0.rowIDs)
                        },
                        uniquingKeysWith: +)
                    let database = try LegacyDatabaseOpener.open(legacy)
                    var rows: [Int64: QueueRow] = [:]
                    for case .success(let row) in try QueueTableWriter(database: database, table: .defaultName).rows(
                        after: 0, limit: 1_000_000)
                    {
                        rows[row.id] = row
                    }
                    for path in commits.joined() {
                        guard let ids = announced[path], !ids.isEmpty else {
                            problems.append("\(path): written without an intent")
                            continue
                        }
                        for id in ids {
                            if outcomes[id] != nil {
                                problems.append("row \(id) recorded before its write was answered")
                            }
                            if rows[id]?.status == .synced && rows[id]?.syncedAt == now {
                                problems.append("row \(id) marked early")
                            }
                        }
                    }
                } catch {
                    problems.append("\(error)")
                }
                await store.crash()
                return (commits, problems)
            }
            await #expect(throws: CrashingStore.Crash.self) {
                _ = try await Drainer(
                    configuration: configuration(world), database: world.database, store: store,
                    clock: world.clock.closure
                ).run()
            }
            let (commits, problems) = await crasher.value
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            try #require(commits.count == 3)

            // The rerun finds the two commits that landed (one answered, one not) and writes only the rest.
            let resumed = try await Drainer(
                configuration: configuration(world), database: world.database, store: world.store,
                clock: world.clock.closure
            ).run()
            #expect(resumed.resumed && resumed.resumedWrites == commits[0].count + commits[1].count)
            let all = try resumed.results + resumed.carriedOver
            #expect(Set(all.map(\.rowID)).count == all.count, "no row has two outcomes")
            let outcome = { (results: [DrainRowResult]) in
                Dictionary(uniqueKeysWithValues: results.map { ($0.rowID, $0.outcome) })
            }
            #expect(outcome(all) == outcome(try expected.results + expected.carriedOver))
            let queueState = { (world: CutoverWorld) in
                try world.rows().mapValues {
                    "\($0.status) \($0.retryCount) \($0.syncedAt.map(String.init(describing:)) ?? "-")"
                }
            }
            #expect(try queueState(world) == queueState(reference))
            #expect(try await memberFields(world) == memberFields(reference))
        }
    }
}
