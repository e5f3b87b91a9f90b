import BagIt
import CutoverLedger
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Reports
import Snapshots

/// `cutover rehearse`: the whole cutover, start to finish, on copies — a demo legacy database in SQLite
/// and the embedded document store, or copies of named systems — with every artifact under one
/// directory: seed (or snapshot the source and copy it) → status → snapshot → replay parity → drain →
/// verify → archive → restore rehearsal → retire → rollback → verify. Ends with a go/no-go.
///
/// With a source, only the source's snapshot reads it (and its store): everything after runs on the
/// copies, so the drain, the retirement and the rollback never write to the systems rehearsed. Each
/// step is gated by the ledger as the single command is, so a failed gate stops the rehearsal before
/// the next step (a parity FAIL before the drain) unless forced, and the ledger records the force.
public struct Rehearsal {
    public struct Configuration: Sendable {
        public var directory = "cutover-out"
        /// nil: seed a demo legacy database in the directory.
        public var source: String?
        public var target: String?
        public var table = QueueTableName.defaultName
        public var members = 2_174
        public var queueRows = 3_000
        /// Go on past a failed gate (a parity FAIL, a drain that left rows…), recorded in the ledger.
        public var force = false
        /// `completed_at` of the last successful nightly run; nil: from the store's `sync_logs`.
        public var lastRun: Timestamp?
        public var masker = Masker()
        /// Seeds the demo world when no source is named (the demo target provides it).
        public var seeder: (any RehearsalSeeder)?

        public init() {}

        var isDemo: Bool { source == nil }
    }

    public struct Step: Sendable {
        public var name: String
        public var passed: Bool
        public var summary: String
        public var seconds: Double
    }

    public struct Result: Sendable {
        public var steps: [Step] = []
        /// Where the rehearsal stopped and why, when a gate held it back (or a step it cannot go on without failed).
        public var stopped: String?
        /// The stop was a gate holding a step back, which `force` would have gone past.
        public var forceGoesOn = false
        /// Each gate `force` went past, as the ledger records it.
        public var forced: [String] = []
        public var go: Bool { stopped == nil && !steps.isEmpty && steps.allSatisfy(\.passed) }
    }

    /// The steps the single commands gate on their prerequisites; retire has its own gates, the rollback none.
    static let gated: Set<Ledger.Step> = [.parity, .drain, .verify, .archive, .restore]

    let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func run(progress: (String) -> Void = { _ in }) async throws -> Result {
        let out = configuration.directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CutoverError(.output, "--out \(out) is a file, not a directory")
        }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw CutoverError(.output, "cannot create the directory \(out)")
        }
        // Every step after the seed or the copy works here; with a source, these are its copies.
        let sourceURL = configuration.isDemo ? "sqlite:\(out)/legacy.sqlite" : "sqlite:\(out)/copy-legacy.sqlite"
        let storeText =
            configuration.isDemo ? "embedded:\(out)/legacy-firestore.sqlite" : "embedded:\(out)/copy-firestore.sqlite"
        var result = Result()
        let clock = ContinuousClock()
        // The rehearsal keeps a ledger like a real cutover: `cutover status --ledger cutover-out/ledger.sqlite`.
        try? FileManager.default.removeItem(atPath: "\(out)/ledger.sqlite")
        let ledger = try Ledger(path: "\(out)/ledger.sqlite")
        // Each step is recorded as its single command records it: the same step, verdict and outputs.
        let ledgerSteps:
            [String: (step: Ledger.Step, passed: Ledger.Verdict, failed: Ledger.Verdict, outputs: Ledger.Outputs)] = [
                "snapshot": (.snapshot, .written, .failed, .init(snapshot: "\(out)/snapshot-before.sqlite")),
                "parity replay": (.parity, .pass, .fail, .init(report: "\(out)/parity/parity.json")),
                "drain": (
                    .drain, .drained, .rowsLeft,
                    .init(report: "\(out)/drain/drain.json", journal: "\(out)/drain-journal.sqlite")
                ),
                "verify": (.verify, .pass, .fail, .init(report: "\(out)/verify/verify.json")),
                "archive": (.archive, .written, .failed, .init(archive: "\(out)/archive.tar.gz")),
                "restore rehearsal": (
                    .restore, .rehearsed, .failed, .init(restoreRecord: "\(out)/restore/restore.json")
                ),
                "retire": (.retire, .retired, .refused, .init(archive: "\(out)/archive.tar.gz")),
                "rollback": (.rollback, .restored, .failed, .init(archive: "\(out)/archive.tar.gz")),
            ]
        // The exit code and verdict the single command would end with: a body sets them when the step's
        // report decides them (a parity pass with accepted differences is 10), an error brings its own.
        var exitCode: Int32?
        var verdict: Ledger.Verdict?
        /// Runs one step; false when the rehearsal must not go on (a gate held the step back, or a step
        /// outside the ledger — seed, copy, status — or retire failed).
        func step(_ name: String, _ body: () async throws -> (Bool, String)) async -> Bool {
            let recorded = ledgerSteps[name]
            var forcedPast: [String] = []
            if let recorded, Self.gated.contains(recorded.step) {
                // The same check, and the same words, as the single command with --ledger.
                let problems = (try? ledger.problems(before: recorded.step, now: .now, maxAgeSeconds: 24 * 3600)) ?? []
                if !problems.isEmpty && !configuration.force {
                    result.stopped = "stopped before \(name): " + problems.joined(separator: "; ")
                    result.forceGoesOn = true
                    return false
                }
                forcedPast = problems
                if !problems.isEmpty {
                    result.forced.append("\(name) forced past: " + problems.joined(separator: "; "))
                }
            }
            progress(name)
            let started = clock.now
            let startedAt = Timestamp.now
            let outcome: (Bool, String)
            exitCode = nil
            verdict = nil
            do { outcome = try await body() } catch {
                outcome = (false, configuration.masker.freeText("\(error)"))
                exitCode = ExitCode.code(for: error)
                verdict = .failed
            }
            if let recorded {
                try? LedgerRun(ledger: ledger, step: recorded.step, started: startedAt, forcedPast: forcedPast)
                    .finish(
                        exitCode: exitCode ?? (outcome.0 ? 0 : ExitCode.internalFailure.code),
                        verdict: verdict ?? (outcome.0 ? recorded.passed : recorded.failed), outputs: recorded.outputs)
            }
            let elapsed = clock.now - started
            result.steps.append(
                Step(
                    name: name, passed: outcome.0, summary: outcome.1,
                    seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            // A failed ledger step is judged by the next step's gate, as on the step-by-step road.
            if !outcome.0 && (recorded == nil || recorded?.step == .retire) {
                result.stopped = "stopped at \(name)"
                return false
            }
            return true
        }

        var sourceSnapshot: SnapshotManifest?
        if let source = configuration.source {
            var database: (any LegacyDatabase)?
            guard
                await step(
                    "snapshot source",
                    {
                        // The only reads of the source and its store: everything after runs on the copies.
                        let opened = try LegacyDatabaseOpener.open(source)
                        database = opened
                        var options = SnapshotWriter.Options(outputPath: "\(out)/snapshot-source.sqlite")
                        options.table = configuration.table
                        options.force = true
                        let snapshot = try await SnapshotWriter(options: options).run(
                            from: opened, firestore: try configuration.target.map { try DocumentStoreOpener.open($0) })
                        sourceSnapshot = snapshot.manifest
                        let rows = snapshot.manifest.table("queue_rows")?.rowCount ?? 0
                        let members = snapshot.manifest.table("register_members")?.rowCount ?? 0
                        return (
                            true, "\(rows) queue rows, \(members) members from \(opened.redactedTarget) (read only)"
                        )
                    })
            else { return result }
            guard
                await step(
                    "copy",
                    {
                        let copy = RehearsalCopy(
                            snapshot: try SnapshotFile(path: "\(out)/snapshot-source.sqlite"),
                            databasePath: "\(out)/copy-legacy.sqlite", storePath: "\(out)/copy-firestore.sqlite")
                        guard let source = database else {
                            throw CutoverError(.internalFailure, "the source was not opened before the copy")
                        }
                        let copied = try await copy.run(registerFrom: source, schema: configuration.table.schema)
                        database = nil
                        let documents = copied.documents.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                            .joined(separator: ", ")
                        return (
                            true,
                            "\(copied.queueRows) queue rows and \(copied.registerRows) rows of "
                                + "\(copied.registerTables) register tables "
                                + "into \(out)/copy-legacy.sqlite; \(documents) into \(out)/copy-firestore.sqlite"
                        )
                    })
            else { return result }
        } else {
            guard
                await step(
                    "seed",
                    {
                        // A rehearsal starts from nothing: an earlier one's retired table or journal would change it.
                        for file in [
                            "drain-journal.sqlite", "legacy.sqlite", "legacy-firestore.sqlite", "rehearsal.sqlite",
                        ] {
                            for suffix in ["", "-wal", "-shm", "-journal"] {
                                try? FileManager.default.removeItem(atPath: "\(out)/\(file)\(suffix)")
                            }
                        }
                        guard let seeder = configuration.seeder else {
                            throw CutoverError(.input, "a rehearsal without --source needs a demo seeder")
                        }
                        let database = try LegacyDatabaseOpener.open(sourceURL, create: true)
                        return (
                            true,
                            try await seeder.seed(
                                members: configuration.members, queueRows: configuration.queueRows,
                                into: database, store: try DocumentStoreOpener.open(storeText))
                        )
                    })
            else { return result }
        }
        // A copy's journal from an earlier rehearsal would make the drain resume instead of starting afresh.
        if !configuration.isDemo {
            for file in ["drain-journal.sqlite", "rehearsal.sqlite"] {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    try? FileManager.default.removeItem(atPath: "\(out)/\(file)\(suffix)")
                }
            }
        }
        let database = try LegacyDatabaseOpener.open(sourceURL)
        let store = try DocumentStoreOpener.open(storeText)

        guard
            await step(
                "status",
                {
                    var options = QueueStatusCollector.Options(asOf: .now)
                    if let last = configuration.lastRun {
                        options.lastRun = last
                        options.lastRunOrigin = "--last-run"
                    } else if let last = try await LastSuccessfulRun.find(in: store) {
                        options.lastRun = last
                        options.lastRunOrigin =
                            configuration.isDemo
                            ? "\(CollectionName.syncLogs) in \(store.label)"
                            : "\(CollectionName.syncLogs) copied from the source's store"
                    }
                    let status = try QueueStatusCollector(options: options).collect(
                        from: LiveQueueSource(database: database, table: configuration.table))
                    try ReportFiles.write(
                        [("status.json", status.json(masker: configuration.masker).prettyText)], into: out)
                    return (true, Self.statusSummary(status))
                })
        else { return result }
        guard
            await step(
                "snapshot",
                {
                    var options = SnapshotWriter.Options(outputPath: "\(out)/snapshot-before.sqlite")
                    options.table = configuration.table
                    options.force = true
                    let snapshot = try await SnapshotWriter(options: options).run(from: database, firestore: store)
                    if let sourceSnapshot {
                        try Self.requireSameContent(copy: snapshot.manifest, source: sourceSnapshot)
                    }
                    return (
                        true,
                        "\(snapshot.path), id \(snapshot.manifest.snapshotID)"
                            + (sourceSnapshot == nil ? "" : "; queue and register match the source's snapshot")
                    )
                })
        else { return result }
        guard
            await step(
                "parity replay",
                {
                    let report = try await ParityReplay(
                        .init(
                            snapshotPath: "\(out)/snapshot-before.sqlite", rules: .shipped(),
                            masker: configuration.masker)
                    ).run()
                    try report.write(into: "\(out)/parity")
                    exitCode = report.verdict.exitCode
                    verdict = Ledger.Verdict(report.verdict)
                    return (report.verdict.letsGatesPass, "\(report.verdict.title): \(report.countsLine)")
                })
        else { return result }
        guard
            await step(
                "drain",
                {
                    var options = Drainer.Configuration(
                        table: configuration.table, journalPath: "\(out)/drain-journal.sqlite")
                    options.includeFailed = true
                    let report = try await Drainer(configuration: options, database: database, store: store).run()
                    try report.write(into: "\(out)/drain", masker: configuration.masker)
                    exitCode = report.exitCode
                    let counts = report.counts
                    return (
                        report.exitCode == 0,
                        DrainOutcome.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
                    )
                })
        else { return result }
        func verify(_ folder: String) async throws -> (Bool, String) {
            let report = try await DrainVerifier(
                configuration: .init(
                    table: configuration.table, journalPath: "\(out)/drain-journal.sqlite", rules: .shipped()),
                database: database, store: store
            ).run()
            try report.write(into: "\(out)/\(folder)", masker: configuration.masker)
            exitCode = report.exitCode
            return (
                report.passes,
                report.passes
                    ? "PASS: \(report.reconciliation.members) members, \(report.reconciliation.matching) documents "
                        + "match"
                    : "FAIL: " + report.failures.joined(separator: "; ")
            )
        }
        guard await step("verify", { try await verify("verify") }) else { return result }
        guard
            await step(
                "archive",
                {
                    var options = SnapshotWriter.Options(outputPath: "\(out)/snapshot-after.sqlite")
                    options.table = configuration.table
                    options.force = true
                    _ = try await SnapshotWriter(options: options).run(from: database, firestore: store)
                    var archive = ArchiveWriter.Options(
                        snapshotPath: "\(out)/snapshot-after.sqlite", outputPath: "\(out)/archive.tar.gz")
                    archive.reportsDirectory = "\(out)/parity"
                    archive.force = true
                    let written = try ArchiveWriter(options: archive).run()
                    let check = try ArchiveVerifier(path: written.path).run()
                    if !check.isValid { exitCode = ExitCode.invalidData.code }
                    return (
                        check.isValid,
                        "\(written.path): \(check.filesChecked) files, "
                            + (check.isValid ? "valid" : check.problems.joined(separator: "; "))
                    )
                })
        else { return result }
        guard
            await step(
                "restore rehearsal",
                {
                    // Into a scratch file beside the copy the rehearsal works on (both SQLite).
                    let target = "\(out)/rehearsal.sqlite"
                    try? FileManager.default.removeItem(atPath: target)
                    let rehearsal = try LegacyDatabaseOpener.open("sqlite:\(target)", create: true)
                    let restored = try Restorer.fromArchive(
                        "\(out)/archive.tar.gz", options: .init(snapshotPath: ""), into: rehearsal)
                    try RestoreRecord(restored: restored, archive: "\(out)/archive.tar.gz").write(
                        into: "\(out)/restore")
                    return (
                        true, "\(restored.rows) rows into \(restored.table) at \(restored.target), content hash matches"
                    )
                })
        else { return result }
        guard
            await step(
                "retire",
                {
                    var options = Retirement.Configuration(
                        table: configuration.table, archivePath: "\(out)/archive.tar.gz",
                        parityReportPath: "\(out)/parity/parity.json",
                        journalPath: "\(out)/drain-journal.sqlite", rehearsalPath: "\(out)/restore/restore.json")
                    // Only ever a copy: the demo's database or the source's copy.
                    options.confirm = true
                    let retirement = try await Retirement(configuration: options, database: database, store: store)
                        .run()
                    exitCode = retirement.exitCode
                    let failing = retirement.gates.filter { !$0.passed }.map { "\($0.name.rawValue): \($0.detail)" }
                    return (
                        retirement.allGatesPass,
                        failing.isEmpty
                            ? "every gate passed; the table is now \(retirement.retiredName ?? "dropped")"
                            : "refused: " + failing.joined(separator: "; ")
                    )
                })
        else { return result }
        guard
            await step(
                "rollback",
                {
                    let restored = try Restorer.fromArchive(
                        "\(out)/archive.tar.gz", options: .init(snapshotPath: ""), into: database)
                    return (true, "\(restored.rows) rows back in \(restored.table), content hash matches the archive")
                })
        else { return result }
        _ = await step("verify after rollback") { try await verify("verify-after-rollback") }
        return result
    }
}
