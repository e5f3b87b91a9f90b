import BagIt
import CutoverSupport
import Digest
import Firestore
import Foundation
import LegacySync

/// `cutover retire`: checks every gate — the archive is valid and fresh, a restore rehearsal of this
/// very archive passed, the drain's proof shows nothing left, the parity verdict is pass or
/// accepted, no rows arrived after the drain's mark, the table took no insert for the quiet window
/// (Path A's signal handlers are gone from Django) — and only then, with `confirm`, renames the
/// queue table to `<name>_retired_<yyyymmdd>` (or drops it) in one transaction, optionally purges
/// the archived Firestore `sync_queue` and `sync_logs`, and says how to roll back.
public struct Retirement {
    public struct Configuration: Sendable {
        public var table: QueueTableName
        public var archivePath: String
        public var parityReportPath: String
        public var journalPath: String
        public var rehearsalPath: String
        public var maxAgeSeconds: Int64 = 86_400
        /// How long the table must have taken no insert, by its newest `created_at` against the clock.
        public var quietForSeconds: Int64 = 600
        public var drop = false
        public var purgeFirestore = false
        public var confirm = false
        /// Pass the source-identity gate even though artifacts come from another database (recorded).
        public var force = false

        public init(
            table: QueueTableName, archivePath: String, parityReportPath: String, journalPath: String,
            rehearsalPath: String
        ) {
            self.table = table
            self.archivePath = archivePath
            self.parityReportPath = parityReportPath
            self.journalPath = journalPath
            self.rehearsalPath = rehearsalPath
        }
    }

    public struct Result: Sendable {
        public var gates: [RetirementGate]
        /// The SQL retirement runs (or would run), in one transaction.
        public var statements: [String]
        public var executed = false
        public var retiredName: String?
        public var purged: [String: Int] = [:]
        public var rollbackCommand: String
        /// The identity mismatches `force` went past: printed, and recorded in the ledger.
        public var forcedPast: [String] = []
        /// What an unchanged Django does once the table is gone: no gate can read Django's code, so every
        /// run says it.
        public var unchangedDjango: String

        public var allGatesPass: Bool { gates.allSatisfy(\.passed) }
        /// 0 retired (or, without --confirm, every gate green); 40 refused: a gate failed.
        public var exitCode: Int32 { (allGatesPass ? ExitCode.success : .retireRefused).code }
    }

    static let purgedCollections = [CollectionName.syncQueue, .syncLogs].map(\.rawValue)
    /// What a rollback needs besides the restore: the queue fills again only once Path A's handlers are back.
    public static let afterRollback =
        "after a restore, redeploy Django with Path A's signal handlers before the queue is used again"

    let configuration: Configuration
    let database: any LegacyDatabase
    let store: (any DocumentStore)?
    let clock: @Sendable () -> Timestamp

    public init(
        configuration: Configuration, database: any LegacyDatabase, store: (any DocumentStore)?,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }
    ) {
        self.configuration = configuration
        self.database = database
        self.store = store
        self.clock = clock
    }

    public func run() async throws -> Result {
        let now = clock()
        // Held from the gates to the rename: a drain or restore in between would make the gates' answers stale.
        // Without `confirm` nothing is changed, so no lock is taken.
        let lock =
            configuration.confirm
            ? try QueueRunLock.acquire("retire", table: configuration.table, on: database, started: now) : nil
        defer { lock?.release() }
        var gates: [RetirementGate] = []
        let archive: ArchiveVerifier.Report
        do {
            archive = try ArchiveVerifier(path: configuration.archivePath).run()
        } catch {
            var missing = ArchiveVerifier.Report(archive: configuration.archivePath)
            missing.problems = ["\(error)"]
            archive = missing
        }
        gates.append(
            .init(
                name: .archiveValid, passed: archive.isValid,
                detail: archive.isValid
                    ? "\(archive.filesChecked) files check out"
                    : archive.problems.prefix(3).joined(separator: "; ") + (archive.problems.count > 3 ? "; …" : "")))
        if let created = archive.bagInfo["Cutover-Snapshot-Created"].flatMap(Timestamp.init(parsing:)) {
            let age = (now.microseconds - created.microseconds) / 1_000_000
            gates.append(
                .init(
                    name: .archiveFresh, passed: age <= configuration.maxAgeSeconds,
                    detail:
                        "its data was read \(age / 3600) h \(age % 3600 / 60) min ago (limit "
                        + "\(configuration.maxAgeSeconds / 3600) h)"
                ))
        } else {
            gates.append(
                .init(name: .archiveFresh, passed: false, detail: "the archive does not say when its data was read"))
        }
        gates.append(rehearsalGate())
        let queue = try QueueTableWriter(database: database, table: configuration.table)
        let proof = try DrainProof.check(
            queue: queue, journal: try DrainJournal.existing(path: configuration.journalPath))
        gates.append(
            .init(
                name: .drainProof,
                passed: proof.problem == nil && proof.drainFinished && proof.unresolved.isEmpty
                    && proof.deadLetters.isEmpty,
                detail: proof.problem ?? "drain \(proof.drainID ?? 0) (mark \(proof.mark ?? 0)) "
                    + (proof.drainFinished ? "finished" : "did not finish") + ": \(proof.unresolved.count) unresolved, "
                    + "\(proof.deadLetters.count) dead or invalid"))
        gates.append(parityGate())
        let (identityGate, forcedPast) = try identityGate(
            archive: archive, journal: proof.drainID == nil ? nil : configuration.journalPath)
        gates.append(identityGate)
        gates.append(
            .init(
                name: .noRowsAfterMark, passed: proof.mark != nil && proof.rowsAboveMark == 0,
                detail: proof.mark == nil
                    ? "no drain mark to compare with" : "\(proof.rowsAboveMark) rows written after mark \(proof.mark!)")
        )
        gates.append(
            try QuietWindow.measure(database, table: configuration.table, highestID: queue.highWaterMark())
                .gate(now: now, quietFor: configuration.quietForSeconds))
        if configuration.purgeFirestore {
            let missing = Self.purgedCollections.filter {
                !archive.payloadFiles.contains("data/firestore/\($0).ndjson")
            }
            gates.append(
                .init(
                    name: .firestoreArchived, passed: missing.isEmpty && store != nil,
                    detail: store == nil
                        ? "no --target store to purge"
                        : missing.isEmpty
                            ? "sync_queue and sync_logs are in the archive"
                            : "not in the archive: \(missing.joined(separator: ", "))"))
        }

        let retiredName = "\(configuration.table.table)_retired_\(now.dateString.filter { $0 != "-" })"
        var result = Result(
            gates: gates, statements: try statements(retiredName: retiredName),
            rollbackCommand: rollbackCommand(), forcedPast: forcedPast, unchangedDjango: unchangedDjango())
        for gate in gates {
            Log.retire.info(
                "gate \(gate.name.rawValue): \(gate.passed ? "passed" : "FAILED")",
                metadata: ["detail": "\(gate.detail)"])
        }
        let passed = gates.filter(\.passed).count
        Log.retire.notice(
            "retirement \(result.allGatesPass ? "allowed" : "refused"): \(passed) of \(gates.count) gates passed")
        guard result.allGatesPass, configuration.confirm else { return result }
        try database.withTransaction {
            for statement in result.statements {
                Log.retire.notice("\(statement)")
                try database.execute(statement)
            }
        }
        result.executed = true
        result.retiredName = configuration.drop ? nil : retiredName
        if configuration.purgeFirestore, let store {
            for collection in Self.purgedCollections {
                result.purged[collection] = try await store.deleteAll(in: collection)
            }
        }
        return result
    }

    /// Renames the table — and in PostgreSQL its sequence and indexes, whose names are schema-wide, so
    /// that a rollback can recreate the originals beside it — or drops it. SQLite cannot rename an
    /// index: the retired table's indexes are dropped (its rows stay).
    func statements(retiredName: String) throws -> [String] {
        let description = try database.describeQueueTable(configuration.table)
        let table = database.qualified(schema: configuration.table.schema, table: configuration.table.table)
        if configuration.drop { return ["DROP TABLE \(table)"] }
        if try database.tableExists(schema: configuration.table.schema, table: retiredName) {
            throw CutoverError(
                .output, "\(retiredName) already exists: the table was retired once today",
                nextStep: "drop or rename the earlier retired copy first, or retire with --drop")
        }
        let suffix = retiredName.dropFirst(configuration.table.table.count)
        func renamed(_ name: String) -> String { Self.retiredName(of: name, suffix: suffix) }
        var statements: [String] = []
        if database.engine == .postgresql {
            let schema = QueueTableName.quote(configuration.table.schema)
            var renames: [(kind: String, from: String, to: String)] = []
            if let sequence = description.sequence, sequence.kind == "serial" || sequence.kind == "identity" {
                let bare = sequence.name.split(separator: ".").last.map(String.init) ?? sequence.name
                let name = bare.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                renames.append(("SEQUENCE", name, renamed(name)))
            }
            let indexNames =
                description.indexes.map(\.name)
                + description.constraints.filter { $0.kind == "p" || $0.kind == "u" }.map(\.name)
            renames += indexNames.sorted().map { ("INDEX", $0, renamed($0)) }
            // An earlier retirement (rolled back, then retired again) may hold a name already: say which,
            // before anything runs.
            let taken = try relationsTaken(renames.map(\.to), schema: configuration.table.schema)
            if let first = taken.first {
                throw CutoverError(
                    .output,
                    "\(first) already exists in schema \(configuration.table.schema)"
                        + (taken.count > 1 ? " (and \(taken.count - 1) more names the retirement needs)" : "")
                        + ": an earlier retired copy holds it",
                    nextStep: "drop or rename the earlier retired copy first, or retire with --drop")
            }
            statements.append("ALTER TABLE \(table) RENAME TO \(QueueTableName.quote(retiredName))")
            for rename in renames {
                statements.append(
                    "ALTER \(rename.kind) \(schema).\(QueueTableName.quote(rename.from)) RENAME TO "
                        + "\(QueueTableName.quote(rename.to))"
                )
            }
        } else {
            for index in description.indexes.map(\.name).sorted() {
                statements.append("DROP INDEX \(QueueTableName.quote(index))")
            }
            statements.append("ALTER TABLE \(table) RENAME TO \(QueueTableName.quote(retiredName))")
        }
        return statements
    }

    /// The name a relation gets when its table is retired: `name` + `suffix` (`_retired_yyyymmdd`) within
    /// PostgreSQL's 63 bytes. A longer name keeps the suffix whole and is cut before it, with 8 hex
    /// digits of the name's SHA-256, so two names cut to the same prefix — or the same index retired on
    /// two dates — never meet.
    public static func retiredName(of name: String, suffix: some StringProtocol) -> String {
        let whole = name + suffix
        guard whole.utf8.count > 63 else { return whole }
        let tag = "_" + Digester.hexDigest(of: Array(name.utf8)).prefix(8)
        var kept = Substring(name)
        while kept.utf8.count + tag.utf8.count + suffix.utf8.count > 63 { kept = kept.dropLast() }
        return kept + tag + suffix
    }

    private func relationsTaken(_ names: [String], schema: String) throws -> [String] {
        guard !names.isEmpty else { return [] }
        let list = names.map(QueueTableName.literal).joined(separator: ", ")
        return try database.withTransaction {
            let cursor = try database.openCursor(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = \(QueueTableName.literal(schema)) AND c.relname IN (\(list)) ORDER BY "
                    + "c.relname"
            )
            var taken: [String] = []
            while let row = try cursor.next() { if let name = row.first ?? nil { taken.append(name) } }
            return taken
        }
    }

    private func rehearsalGate() -> RetirementGate {
        do {
            let record = try RestoreRecord(reading: configuration.rehearsalPath)
            let digest = try ReadableFile.sha256(ofFile: configuration.archivePath)
            guard record.archiveSHA256 == digest else {
                return .init(
                    name: .restoreRehearsed, passed: false,
                    detail: "the last restore (\(configuration.rehearsalPath)) was not of this archive")
            }
            return .init(
                name: .restoreRehearsed, passed: record.matched,
                detail:
                    "restored \(record.rows) rows into \(record.table) at \(record.target) on "
                    + "\(record.restoredAt.iso8601)"
                    + (record.matched ? ", content hash matched" : ", content hash did NOT match"))
        } catch let error as CutoverError {
            return .init(
                name: .restoreRehearsed, passed: false,
                detail: error.message + (error.nextStep.map { " (\($0))" } ?? ""))
        } catch {
            return .init(name: .restoreRehearsed, passed: false, detail: "\(error)")
        }
    }

    /// Every artifact the other gates read must come from this database and table: an archive, parity
    /// report, journal or restore record of database A says nothing about B's queue.
    private func identityGate(archive: ArchiveVerifier.Report, journal: String?) throws -> (RetirementGate, [String]) {
        let live = try database.sourceIdentity(of: configuration.table)
        var artifacts = [
            SourceIdentityCheck.Artifact(
                "the archive \(configuration.archivePath)",
                SourceIdentity(text: archive.bagInfo["Cutover-Source-Identity"]))
        ]
        if let parity = try? ParityReportFile(path: configuration.parityReportPath) {
            artifacts.append(.init("the parity report \(configuration.parityReportPath)", parity.sourceIdentity))
        }
        if let journal, let file = try DrainJournal.existing(path: journal), let drain = try file.latest() {
            artifacts.append(
                .init("the drain journal \(journal) (drain \(drain.id))", try file.sourceIdentity(of: drain)))
        }
        if let record = try? RestoreRecord(reading: configuration.rehearsalPath) {
            artifacts.append(.init("the restore record \(configuration.rehearsalPath)", record.sourceIdentity))
        }
        let mismatches = SourceIdentityCheck(live: live).mismatches(artifacts)
        if mismatches.isEmpty {
            return (
                .init(name: .sourceIdentity, passed: true, detail: "every artifact comes from \(live.description)"), []
            )
        }
        if configuration.force {
            return (
                .init(
                    name: .sourceIdentity, passed: true, detail: "FORCED past: " + mismatches.joined(separator: "; ")),
                mismatches
            )
        }
        return (.init(name: .sourceIdentity, passed: false, detail: mismatches.joined(separator: "; ")), [])
    }

    private func parityGate() -> RetirementGate {
        do {
            let report = try ParityReportFile(path: configuration.parityReportPath)
            return .init(name: .parityVerdict, passed: report.letsGatesPass, detail: report.summary)
        } catch let error as CutoverError {
            return .init(
                name: .parityVerdict, passed: false, detail: error.message + (error.nextStep.map { " (\($0))" } ?? ""))
        } catch {
            return .init(name: .parityVerdict, passed: false, detail: "\(error)")
        }
    }

    /// Said plainly, with the error Django's database driver gives, because it is what breaks the day after.
    private func unchangedDjango() -> String {
        let table = configuration.table.table
        let error = database.engine == .postgresql ? "relation \"\(table)\" does not exist" : "no such table: \(table)"
        return "after retirement an unchanged Django fails on every member save (\(error)): Path A's signal handlers "
            + "still insert into the queue. Deploy Django without them (keep Path B's), wait the quiet window, then "
            + "retire."
    }

    private func rollbackCommand() -> String {
        "cutover restore --archive '\(configuration.archivePath)' --into '\(database.redactedTarget)'"
            + (configuration.purgeFirestore ? " --firestore '\(store?.label ?? "STORE")'" : "")
    }
}
