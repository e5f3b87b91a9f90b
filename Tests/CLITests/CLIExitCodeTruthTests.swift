import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import SQLite
import TestSupport
import Testing

/// Issue 19 point 9: the drain's exit code and words say what happened. A target that cannot be
/// reached, or answers with something that is not Firestore's JSON, leaves the rows pending and is
/// named as such — never counted as dead letters that were never written.
struct CLIExitCodeTruthTests {
    /// The queue as the operator's database holds it: every row's id, status, retry count and error.
    func queueState(_ directory: String) throws -> [String] {
        let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
        return try legacy.query(
            "SELECT id || '|' || sync_status || '|' || coalesce(retry_count, '') || '|' || coalesce(error_message, '') "
                + "FROM membership_membersyncqueue ORDER BY id"
        ).map { $0[0].textValue ?? "" }
    }

    func pendingCount(_ directory: String) throws -> Int {
        let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
        return Int(
            try legacy.query("SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'pending'")
                .first?[0].integerValue ?? -1)
    }

    func seed(_ directory: String) async throws {
        try await DemoWorld(members: 60, queueRows: 300).copy(into: directory)
    }

    /// A loopback port nobody listens on: bound by this process, then closed.
    func closedPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(socket, raw, length) == 0, getsockname(socket, raw, &length) == 0 else {
                    throw CocoaError(.fileReadUnknown)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aDrainAgainstAClosedPortLeavesEveryRowPendingAndSaysTheTargetIsUnreachable() async throws {
        try await withTemporaryDirectory { directory in
            try await seed(directory)
            let before = try queueState(directory)
            let pending = try pendingCount(directory)
            #expect(pending > 0)
            let target = "http://127.0.0.1:\(try closedPort())"
            let drain = [
                "drain", "--source", "sqlite:legacy.sqlite", "--target", target, "--attempts", "2", "--backoff", "0.01",
            ]

            let text = try await CutoverBinary.run(drain, directory: directory)
            #expect(text.exitCode == ExitCode.drainStopped.code, "\(text.stdout)\(text.stderr)")
            #expect(text.stdout.contains("the target is unreachable"), "\(text.stdout)")
            #expect(text.stdout.contains("left pending, for a rerun: \(pending) rows"), "\(text.stdout)")
            #expect(text.stdout.contains("dead 0,"), "no dead letter is claimed: \(text.stdout)")
            #expect(!text.stdout.contains("dead letters:"), "\(text.stdout)")

            let json = try await CutoverBinary.run(drain + ["--json"], directory: directory)
            #expect(json.exitCode == ExitCode.drainStopped.code, "\(json.stderr)")
            let report = try DecodedOutput.result(DrainJSON.self, from: json.stdout)
            #expect(report.counts["dead"] == 0)
            #expect(report.leftPending == pending)
            #expect(report.rows.isEmpty, "no row was given an outcome: none was tried")
            #expect(report.targetFault?.contains("unreachable") == true)
            #expect(report.stoppedEarly?.contains("could not be read in any batch: the target is unreachable") == true)
            #expect(report.reverseQueue.error?.hasPrefix("the target is unreachable") == true)

            #expect(
                try queueState(directory) == before, "the rows stay exactly as they were: pending, no retry counted")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain/dead-letters.ndjson"))
        }
    }

    /// `firestore serve --malformed-rate 1` answers every request, the portal-edit (`sync_queue`) query
    /// first, with 200 and a body that is not JSON.
    @Test func aMalformedAnswerToThePortalEditReadIsReportedAsThatWithNoDeadLetters() async throws {
        try await withTemporaryDirectory { directory in
            try await seed(directory)
            let before = try queueState(directory)
            let pending = try pendingCount(directory)
            let server = try ServedProcess.firestore(
                data: "\(directory)/served.sqlite", extraArguments: ["--malformed-rate", "1"])
            defer { server.stop() }
            let drained = try await CutoverBinary.run(
                ["drain", "--source", "sqlite:legacy.sqlite", "--target", server.url, "--attempts", "1", "--json"],
                directory: directory)
            #expect(drained.exitCode == ExitCode.drainStopped.code, "\(drained.stdout)\(drained.stderr)")
            let report = try DecodedOutput.result(DrainJSON.self, from: drained.stdout)
            let reverse = try #require(report.reverseQueue.error)
            #expect(reverse.hasPrefix("the target answered with a malformed response"), "\(reverse)")
            #expect(reverse.contains("MALFORMED_RESPONSE"), "the status is named: \(reverse)")
            #expect(report.reverseQueue.applied == 0)
            #expect(report.counts["dead"] == 0 && report.counts["invalid"] == 0)
            #expect(report.leftPending == pending)
            #expect(try queueState(directory) == before)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain/dead-letters.ndjson"))

            let text = try await CutoverBinary.run(
                ["drain", "--source", "sqlite:legacy.sqlite", "--target", server.url, "--attempts", "1"],
                directory: directory)
            #expect(text.exitCode == ExitCode.drainStopped.code)
            #expect(
                text.stdout.contains("reverse queue (portal edits): ")
                    && text.stdout.contains("FAILED: the target answered with a malformed response"),
                "\(text.stdout)")
            #expect(text.stdout.contains("dead 0,"), "\(text.stdout)")
        }
    }

    /// The target answers the first batches, then goes away: what was written is applied and marked, the
    /// rest stays pending for the rerun, and nothing is called dead.
    @Test func aTargetThatGoesDownMidwayLeavesTheRestPendingNotDead() async throws {
        try await withTemporaryDirectory { directory in
            try await seed(directory)
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite")
            let embedded = try DocumentStoreOpener.open("embedded:\(directory)/legacy-firestore.sqlite")
            let store = GoingDownStore(inner: embedded, healthyBatchReads: 2)
            var configuration = Drainer.Configuration(
                table: QueueTableName.defaultName, journalPath: "\(directory)/journal.sqlite")
            configuration.batchSize = 2
            configuration.attempts = 1
            configuration.backoffBase = 0
            configuration.includeFailed = false
            let pendingBefore = try pendingCount(directory)
            let report = try await Drainer(configuration: configuration, database: database, store: store).run()

            let summary = try report.text(masker: Masker())
            #expect(report.exitCode == ExitCode.drainStopped.code)
            #expect(report.counts[.dead, default: 0] == 0, "\(summary)")
            let settled =
                report.counts[.applied, default: 0] + report.counts[.superseded, default: 0]
                + report.counts[.orphan, default: 0]
            #expect(settled > 0, "the first batches went through")
            #expect(report.leftPending > 0)
            #expect(report.targetFault?.hasPrefix("the target is unreachable") == true)
            // Two failed batches in a row stop it; the members after them were never tried.
            #expect(
                report.stoppedEarly?.contains("the target is unreachable") == true,
                "\(report.stoppedEarly ?? "not stopped")")
            #expect(summary.contains("left pending, for a rerun: \(report.leftPending) rows"))
            // Every pending row is either settled (and marked synced) or left pending: none lost, none dead.
            let invalid = report.counts[.invalid, default: 0]
            #expect(try pendingCount(directory) == pendingBefore - settled)
            #expect(settled + report.leftPending + invalid == pendingBefore)
        }
    }
}

/// A store whose first `healthyBatchReads` batch reads (and the writes between) reach `inner`; after
/// them every request fails as a refused connection does.
final class GoingDownStore: DocumentStore, @unchecked Sendable {
    let inner: any DocumentStore
    let healthyBatchReads: Int
    private let lock = NSLock()
    private var batchReads = 0

    init(inner: any DocumentStore, healthyBatchReads: Int) {
        self.inner = inner
        self.healthyBatchReads = healthyBatchReads
    }

    var label: String { "going-down:\(inner.label)" }
    var database: DatabaseName { inner.database }

    private var isDown: Bool { lock.withLock { batchReads > healthyBatchReads } }

    private func check() throws {
        if isDown { throw FirestoreError(.transport, "connection refused (127.0.0.1:1)") }
    }

    func getDocument(_ path: String) async throws -> FirestoreDocument? {
        try check()
        return try await inner.getDocument(path)
    }

    func listDocuments(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentPage {
        try check()
        return try await inner.listDocuments(collection: collection, pageSize: pageSize, pageToken: pageToken)
    }

    func listDocumentTexts(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentTextPage {
        try check()
        return try await inner.listDocumentTexts(collection: collection, pageSize: pageSize, pageToken: pageToken)
    }

    func batchGet(_ paths: [String]) async throws -> [String: FirestoreDocument] {
        lock.withLock { batchReads += 1 }
        try check()
        return try await inner.batchGet(paths)
    }

    func runQuery(_ query: StructuredQuery, parent: String) async throws -> [FirestoreDocument] {
        try check()
        return try await inner.runQuery(query, parent: parent)
    }

    func commit(_ writes: [FirestoreWrite]) async throws -> CommitResult {
        try check()
        return try await inner.commit(writes)
    }

    func commitEach(_ batches: [[FirestoreWrite]]) async throws -> [CommitResult] {
        try check()
        return try await inner.commitEach(batches)
    }

    func reset() async throws {
        try check()
        try await inner.reset()
    }
}
