import CutoverSupport
import Firestore
import Foundation
import LegacySync

/// `cutover rehearse`: the whole cutover, start to finish, on the embedded default (a demo legacy
/// database in SQLite and the embedded document store) — or on named systems — with every artifact
/// under one directory: seed → status → snapshot → replay parity → drain → verify → archive →
/// restore rehearsal → retire → rollback → verify. Ends with a go/no-go.
public struct Rehearsal {
    public struct Configuration: Sendable {
        public var directory = "cutover-out"
        /// nil: seed a demo legacy database in the directory.
        public var source: String?
        public var target: String?
        public var table = QueueTableName.defaultName
        public var members = 2_174
        public var queueRows = 3_000
        /// Against named systems, retirement (and so the rollback) happens only when confirmed.
        public var confirm = false
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
        public var go: Bool { !steps.isEmpty && steps.allSatisfy(\.passed) }
    }

    let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func run(progress: (String) -> Void = { _ in }) async throws -> Result {
        let out = configuration.directory
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let sourceURL = configuration.source ?? "sqlite:\(out)/legacy.sqlite"
        let storeText = configuration.target ?? "embedded:\(out)/legacy-firestore.sqlite"
        var result = Result()
        let clock = ContinuousClock()
        // The rehearsal keeps a ledger like a real cutover: `cutover status --ledger cutover-out/ledger.sqlite`.
        try? FileManager.default.removeItem(atPath: "\(out)/ledger.sqlite")
        let ledger = try Ledger(path: "\(out)/ledger.sqlite")
        // Each step is recorded as its single command records it: the same step, verdict and outputs.
        let ledgerSteps: [String: (step: Ledger.Step, passed: Ledger.Verdict, failed: Ledger.Verdict, outputs: Ledger.Outputs)] = [
            "snapshot": (.snapshot, .written, .failed, .init(snapshot: "\(out)/snapshot-before.sqlite")),
            "parity replay": (.parity, .pass, .fail, .init(report: "\(out)/parity/parity.json")),
            "drain": (.drain, .drained, .rowsLeft, .init(report: "\(out)/drain/drain.json", journal: "\(out)/drain-journal.sqlite")),
            "verify": (.verify, .pass, .fail, .init(report: "\(out)/verify/verify.json")),
            "archive": (.archive, .written, .failed, .init(archive: "\(out)/archive.tar.gz")),
            "restore rehearsal": (.restore, .rehearsed, .failed, .init(restoreRecord: "\(out)/restore/restore.json")),
            "retire": (.retire, .retired, .refused, .init(archive: "\(out)/archive.tar.gz")),
            "rollback": (.rollback, .restored, .failed, .init(archive: "\(out)/archive.tar.gz")),
        ]
        // The exit code the single command would end with when a step concludes without passing; a body
        // that fails sets it, an error that stops a step brings its own.
        var failedExitCode = ExitCode.internalFailure.code
        func step(_ name: String, _ body: () async throws -> (Bool, String)) async {
            progress(name)
            let started = clock.now
            let startedAt = Timestamp.now
            let outcome: (Bool, String)
            failedExitCode = ExitCode.internalFailure.code
            var verdictIfFailed: Ledger.Verdict?
            do { outcome = try await body() } catch {
                outcome = (false, configuration.masker.freeText("\(error)"))
                failedExitCode = ExitCode.code(for: error)
                verdictIfFailed = .failed
            }
            if let recorded = ledgerSteps[name] {
                try? LedgerRun(ledger: ledger, step: recorded.step, started: startedAt)
                    .finish(exitCode: outcome.0 ? 0 : failedExitCode, verdict: outcome.0 ? recorded.passed : verdictIfFailed ?? recorded.failed,
                            outputs: recorded.outputs)
            }
            let elapsed = clock.now - started
            result.steps.append(Step(name: name, passed: outcome.0, summary: outcome.1,
                                     seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
        func stop() -> Bool { result.steps.last?.passed == false }

        if configuration.isDemo {
            await step("seed") {
                // A rehearsal starts from nothing: an earlier one's retired table or journal would change it.
                for file in ["drain-journal.sqlite", "legacy.sqlite", "legacy-firestore.sqlite", "rehearsal.sqlite"] {
                    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: "\(out)/\(file)\(suffix)") }
                }
                guard let seeder = configuration.seeder else {
                    throw CutoverError(.input, "a rehearsal without --source needs a demo seeder")
                }
                let database = try LegacyDatabaseOpener.open(sourceURL, create: true)
                return (true, try await seeder.seed(members: configuration.members, queueRows: configuration.queueRows,
                                                    into: database, store: try DocumentStoreOpener.open(storeText)))
            }
            if stop() { return result }
        }
        let database = try LegacyDatabaseOpener.open(sourceURL)
        let store = try DocumentStoreOpener.open(storeText)

        await step("status") {
            var options = QueueStatusCollector.Options(asOf: .now)
            if let last = try await LastSuccessfulRun.find(in: store) {
                options.lastRun = last
                options.lastRunOrigin = "\(CollectionName.syncLogs) in \(store.label)"
            }
            let status = try QueueStatusCollector(options: options).collect(from: LiveQueueSource(database: database, table: configuration.table))
            try ReportFiles.write([("status.json", status.json(masker: configuration.masker).prettyText)], into: out)
            let failed = status.failedByRetryCount.values.reduce(0, +)
            return (true, "\(status.totalRows) rows: \(status.pendingFresh + status.pendingStranded) pending "
                + "(\(status.pendingStranded) stranded), \(failed) failed, \(status.orphanDeletes.count) orphan deletes")
        }
        await step("snapshot") {
            var options = SnapshotWriter.Options(outputPath: "\(out)/snapshot-before.sqlite")
            options.table = configuration.table
            options.force = true
            let snapshot = try await SnapshotWriter(options: options).run(from: database, firestore: store)
            return (true, "\(snapshot.path), id \(snapshot.manifest.snapshotID)")
        }
        if stop() { return result }
        await step("parity replay") {
            let report = try await ParityReplay(.init(snapshotPath: "\(out)/snapshot-before.sqlite", rules: .shipped(),
                                                      masker: configuration.masker)).run()
            try report.write(into: "\(out)/parity")
            failedExitCode = report.verdict.exitCode
            return (report.verdict.letsGatesPass, "\(report.verdict.title): \(report.counts.membersCompared) members compared, "
                + "\(report.counts[.different]) different, \(report.members.count) with differences in the lineage")
        }
        await step("drain") {
            var options = Drainer.Configuration(table: configuration.table, journalPath: "\(out)/drain-journal.sqlite")
            options.includeFailed = true
            let report = try await Drainer(configuration: options, database: database, store: store).run()
            try report.write(into: "\(out)/drain", masker: configuration.masker)
            failedExitCode = report.exitCode
            let counts = report.counts
            return (report.exitCode == 0, DrainOutcome.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
        }
        func verify(_ folder: String) async throws -> (Bool, String) {
            let report = try await DrainVerifier(
                configuration: .init(table: configuration.table, journalPath: "\(out)/drain-journal.sqlite", rules: .shipped()),
                database: database, store: store).run()
            try report.write(into: "\(out)/\(folder)", masker: configuration.masker)
            failedExitCode = report.exitCode
            return (report.passes, report.passes
                ? "PASS: \(report.reconciliation.members) members, \(report.reconciliation.matching) documents match"
                : "FAIL: " + report.failures.joined(separator: "; "))
        }
        await step("verify") { try await verify("verify") }
        await step("archive") {
            var options = SnapshotWriter.Options(outputPath: "\(out)/snapshot-after.sqlite")
            options.table = configuration.table
            options.force = true
            _ = try await SnapshotWriter(options: options).run(from: database, firestore: store)
            var archive = ArchiveWriter.Options(snapshotPath: "\(out)/snapshot-after.sqlite", outputPath: "\(out)/archive.tar.gz")
            archive.reportsDirectory = "\(out)/parity"
            archive.force = true
            let written = try ArchiveWriter(options: archive).run()
            let check = try ArchiveVerifier(path: written.path).run()
            failedExitCode = ExitCode.invalidData.code
            return (check.isValid, "\(written.path): \(check.filesChecked) files, " + (check.isValid ? "valid" : check.problems.joined(separator: "; ")))
        }
        if stop() { return result }
        await step("restore rehearsal") {
            // Into a scratch file beside the demo; on PostgreSQL into a scratch schema of the source
            // (the archive's DDL is in the source's dialect).
            var options = Restorer.Options(snapshotPath: "")
            let rehearsal: any LegacyDatabase
            if database.engine == .postgresql {
                options.schema = "cutover_rehearsal"
                options.replace = true
                rehearsal = database
            } else {
                let target = "\(out)/rehearsal.sqlite"
                try? FileManager.default.removeItem(atPath: target)
                rehearsal = try LegacyDatabaseOpener.open("sqlite:\(target)", create: true)
            }
            let restored = try Restorer.fromArchive("\(out)/archive.tar.gz", options: options, into: rehearsal)
            try RestoreRecord(restored: restored, archive: "\(out)/archive.tar.gz").write(into: "\(out)/restore")
            return (true, "\(restored.rows) rows into \(restored.table) at \(restored.target), content hash matches")
        }
        let retire = configuration.isDemo || configuration.confirm
        await step(retire ? "retire" : "retire (gates only: --confirm retires)") {
            var options = Retirement.Configuration(
                table: configuration.table, archivePath: "\(out)/archive.tar.gz", parityReportPath: "\(out)/parity/parity.json",
                journalPath: "\(out)/drain-journal.sqlite", rehearsalPath: "\(out)/restore/restore.json")
            options.confirm = retire
            let retirement = try await Retirement(configuration: options, database: database, store: store).run()
            failedExitCode = retirement.exitCode
            let failing = retirement.gates.filter { !$0.passed }.map { "\($0.name.rawValue): \($0.detail)" }
            return (retirement.allGatesPass, failing.isEmpty
                ? (retirement.executed ? "every gate passed; the table is now \(retirement.retiredName ?? "dropped")" : "every gate passes")
                : "refused: " + failing.joined(separator: "; "))
        }
        guard retire, !stop() else { return result }
        await step("rollback") {
            let restored = try Restorer.fromArchive("\(out)/archive.tar.gz", options: .init(snapshotPath: ""), into: database)
            return (true, "\(restored.rows) rows back in \(restored.table), content hash matches the archive")
        }
        await step("verify after rollback") { try await verify("verify-after-rollback") }
        return result
    }
}
