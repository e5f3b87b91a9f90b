import BagIt
import CutoverCore
import CutoverDemo
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Reports
import TestSupport

/// A demo cutover in one temporary directory, in-process: the legacy database in SQLite, the
/// embedded document store, and one `TestClock` that every step and the store read. Each step of
/// the road is a method, so a test goes as far as it needs and then looks at real rows and files.
final class CutoverWorld {
    /// Just after the demo's newest queue row: the cutover happens the day the history ends.
    static let start = Timestamp(parsing: "2025-11-25T12:00:00Z")!

    let directory: String
    let clock: TestClock
    let database: any LegacyDatabase
    let store: EmbeddedDocumentStore
    let seeded: DemoSeeder.Summary
    let table = QueueTableName.defaultName

    var journalPath: String { "\(directory)/drain-journal.sqlite" }
    var parityReportPath: String { "\(directory)/parity/parity.json" }
    var rehearsalPath: String { "\(directory)/restore/restore.json" }
    var archivePath: String { "\(directory)/archive.tar.gz" }

    /// Seeds a small demo world (the demo is deterministic: the same plan plants the same rows).
    init(directory: String, members: Int = 150, queueRows: Int = 600) async throws {
        self.directory = directory
        clock = TestClock(Self.start)
        let plan = seedPlan(members: members, queueRows: queueRows)
        database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
        seeded = try DemoSeeder(plan: plan).run(into: database)
        store = try EmbeddedDocumentStore(path: "\(directory)/firestore.sqlite", clock: clock.closure)
        _ = try await DemoFirestoreSeeder(plan: plan).run(into: store)
    }

    var queue: QueueTableWriter { get throws { try QueueTableWriter(database: database, table: table) } }

    /// `SELECT count(*)` on the legacy database.
    func count(_ sql: String) throws -> Int {
        Int(try database.withConsistentRead { _ in try database.openCursor(sql).next()?.first ?? nil } ?? "") ?? -1
    }

    /// Every queue row that decodes, by id.
    func rows() throws -> [Int64: QueueRow] {
        var rows: [Int64: QueueRow] = [:]
        for case .success(let row) in try queue.rows(after: 0, limit: 1_000_000) { rows[row.id] = row }
        return rows
    }

    /// Each member document's update time: what a run that writes nothing leaves exactly as it was.
    func documentTimes() async throws -> [String: Timestamp] {
        var times: [String: Timestamp] = [:]
        try await store.forEachDocument(in: "members") { times[$0.path] = $0.updateTime }
        return times
    }

    func snapshot(_ name: String) async throws -> SnapshotWriter.Result {
        var options = SnapshotWriter.Options(outputPath: "\(directory)/\(name)")
        options.force = true
        return try await SnapshotWriter(options: options).run(from: database, firestore: store)
    }

    /// Replays the snapshot and writes `parity/parity.json`, which retirement's gate reads.
    @discardableResult
    func parity(snapshot: String = "snapshot-before.sqlite") async throws -> ParityReport {
        let report = try await ParityReplay(.init(snapshotPath: "\(directory)/\(snapshot)", rules: .shipped())).run()
        try ReportFiles.write(streaming: "parity.json", into: "\(directory)/parity") { write in
            try report.writeJSON(write)
        }
        return report
    }

    func drain(
        dryRun: Bool = false, includeFailed: Bool = true, configure: (inout Drainer.Configuration) -> Void = { _ in }
    ) async throws -> DrainReport {
        var configuration = Drainer.Configuration(table: table, journalPath: journalPath)
        configuration.includeFailed = includeFailed
        configuration.dryRun = dryRun
        configuration.backoffBase = 0
        configure(&configuration)
        return try await Drainer(configuration: configuration, database: database, store: store, clock: clock.closure)
            .run()
    }

    func verify() async throws -> VerifyReport {
        try await DrainVerifier(
            configuration: .init(table: table, journalPath: journalPath, rules: .shipped()), database: database,
            store: store
        ).run()
    }

    /// Snapshot after the drain, archive it with the parity reports, check and rehearse its restore
    /// into a scratch file: what retirement's gates look for.
    func archiveAndRehearse() async throws -> ArchiveVerifier.Report {
        _ = try await snapshot("snapshot-after.sqlite")
        var options = ArchiveWriter.Options(snapshotPath: "\(directory)/snapshot-after.sqlite", outputPath: archivePath)
        options.reportsDirectory = "\(directory)/parity"
        options.force = true
        _ = try ArchiveWriter(options: options).run()
        let scratch = try LegacyDatabaseOpener.open("sqlite:\(directory)/rehearsal.sqlite", create: true)
        let restored = try Restorer.fromArchive(archivePath, options: .init(snapshotPath: ""), into: scratch)
        _ = try RestoreRecord(restored: restored, archive: archivePath).write(into: "\(directory)/restore")
        return try ArchiveVerifier(path: archivePath).run()
    }

    /// The whole road up to retirement: snapshot, parity, drain, archive, restore rehearsal.
    func readyToRetire() async throws -> ArchiveVerifier.Report {
        _ = try await snapshot("snapshot-before.sqlite")
        try await parity()
        _ = try await drain()
        return try await archiveAndRehearse()
    }

    func retirement(
        _ adjust: (inout Retirement.Configuration) -> Void = { _ in }, store: (any DocumentStore)? = nil
    ) async throws
        -> Retirement.Result
    {
        var configuration = Retirement.Configuration(
            table: table, archivePath: archivePath, parityReportPath: parityReportPath, journalPath: journalPath,
            rehearsalPath: rehearsalPath)
        adjust(&configuration)
        return try await Retirement(
            configuration: configuration, database: database, store: store, clock: clock.closure
        ).run()
    }
}
