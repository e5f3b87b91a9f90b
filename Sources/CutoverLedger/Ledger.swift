import CutoverSupport
import Foundation
import SQLite

/// The cutover's ledger (one SQLite file per cutover): every step's run — when, its verdict and exit
/// code, the files it wrote with their SHA-256, whether it was forced. Steps check their
/// prerequisites here and refuse to run on a missing, failed or stale one unless forced (and the
/// force is recorded).
public final class Ledger {
    public enum Step: String, Sendable, CaseIterable {
        case snapshot
        case parity = "parity-replay"
        case drain, verify, archive
        /// The rehearsal of a rollback: a restore into a scratch schema or file. Stored as "restore", as
        /// older ledgers stored every restore.
        case restore
        case retire
        /// A restore into the original place: the way back after retirement. A state of its own so that
        /// it neither counts as the rehearsal retire asks for nor hides behind one.
        case rollback

        /// What must have passed, recently, before this step.
        public var prerequisites: [Step] {
            switch self {
            case .snapshot: []
            case .parity: [.snapshot]
            case .drain: [.parity]
            case .verify: [.drain]
            case .archive: [.verify]
            case .restore: [.archive]
            case .retire: [.parity, .verify, .archive, .restore]
            // Nothing may hold the way back.
            case .rollback: []
            }
        }

        /// Exit codes that count as passed (a parity replay with accepted differences exits 10).
        var passingExitCodes: Set<Int32> {
            self == .parity ? [ExitCode.success.code, ExitCode.parityAccepted.code] : [ExitCode.success.code]
        }
    }

    public struct Entry: Sendable, Equatable {
        public var step: Step
        public var startedAt: Timestamp
        public var finishedAt: Timestamp
        public var exitCode: Int32
        public var verdict: Verdict
        /// What the step wrote (report, journal, archive, …).
        public var outputs: Outputs
        /// Path → SHA-256 of those files when they were written.
        public var digests: [String: String]
        public var forced: Bool
        /// What was missing or stale when it was forced.
        public var forcedPast: [String]

        public var passed: Bool { verdict != .drillDown && step.passingExitCodes.contains(exitCode) }
    }

    public let path: String
    private let database: SQLiteDatabase

    public init(path: String) throws {
        self.path = path
        database = try StateFile.open(
            path, what: "ledger",
            schema: """
                CREATE TABLE IF NOT EXISTS steps (id INTEGER PRIMARY KEY, step TEXT NOT NULL, started_at TEXT NOT NULL,
                    finished_at TEXT NOT NULL, exit_code INTEGER NOT NULL, verdict TEXT NOT NULL, outputs TEXT NOT NULL,
                    digests TEXT NOT NULL, forced INTEGER NOT NULL, forced_past TEXT NOT NULL);
                """)
    }

    /// The newest run of a step.
    public func latest(_ step: Step) throws -> Entry? {
        try sqlite {
            try database.query(
                "SELECT step, started_at, finished_at, exit_code, verdict, outputs, digests, forced, forced_past FROM "
                    + "steps "
                    + "WHERE \(Self.selecting(step)) ORDER BY id DESC LIMIT 1"
            ).first.map(Self.entry)
        }
    }

    /// Whether the newest retirement was undone: a rollback recorded after it. A rolled-back table is
    /// live again, so retire's state is no longer "retired".
    public func retirementRolledBack() throws -> Bool {
        try sqlite {
            try !database.query(
                "SELECT 1 FROM steps WHERE \(Self.selecting(.rollback)) AND id > "
                    + "(SELECT id FROM steps WHERE \(Self.selecting(.retire)) AND verdict = 'retired' ORDER BY id DESC "
                    + "LIMIT 1) LIMIT 1"
            ).isEmpty
        }
    }

    /// The rows that are runs of `step`. Ledgers written before rollbacks had a step of their own stored
    /// both kinds of restore as "restore"; the verdict ("restored" into the original place, "rehearsed"
    /// into a scratch one) tells them apart. Steps' raw values are fixed identifiers, never user text.
    private static func selecting(_ step: Step) -> String {
        switch step {
        case .restore: "step = 'restore' AND verdict <> 'restored'"
        case .rollback: "(step = 'rollback' OR (step = 'restore' AND verdict = 'restored'))"
        default: "step = '\(step.rawValue)'"
        }
    }

    /// Why `step` may not run now: each prerequisite never run, failed, or older than `maxAge` seconds.
    public func problems(before step: Step, now: Timestamp, maxAgeSeconds: Int64) throws -> [String] {
        var problems: [String] = []
        for prerequisite in step.prerequisites {
            guard let entry = try latest(prerequisite) else {
                problems.append("\(prerequisite.rawValue) has not run")
                continue
            }
            if entry.verdict == .drillDown {
                problems.append(
                    "\(prerequisite.rawValue) is a drill-down (--member, --since or --until): run it without them")
            } else if !entry.passed {
                problems.append(
                    "\(prerequisite.rawValue) did not pass (\(entry.verdict.rawValue), exit \(entry.exitCode))")
            }
            let age = (now.microseconds - entry.finishedAt.microseconds) / 1_000_000
            if age > maxAgeSeconds {
                problems.append(
                    "\(prerequisite.rawValue) is stale (\(age / 3600) h old; limit \(maxAgeSeconds / 3600) h)")
            }
        }
        return problems
    }

    public func record(_ entry: Entry) throws {
        try sqlite {
            try database.query(
                "INSERT INTO steps (step, started_at, finished_at, exit_code, verdict, outputs, digests, forced, "
                    + "forced_past) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    .text(entry.step.rawValue), .text(entry.startedAt.iso8601), .text(entry.finishedAt.iso8601),
                    .integer(Int64(entry.exitCode)),
                    .text(entry.verdict.rawValue),
                    .text(JSONValue.object(entry.outputs.byRole.mapValues(JSONValue.string)).canonicalText),
                    .text(JSONValue.object(entry.digests.mapValues(JSONValue.string)).canonicalText),
                    .integer(entry.forced ? 1 : 0),
                    .text(JSONValue.array(entry.forcedPast.map(JSONValue.string)).canonicalText),
                ])
        }
    }

    /// SHA-256 of each output that is a file.
    public static func digests(of outputs: Outputs) -> [String: String] {
        var digests: [String: String] = [:]
        for path in outputs.paths where FileManager.default.fileExists(atPath: path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                digests[path] = try? ReadableFile.sha256(ofFile: path)
            }
        }
        return digests
    }

    private static func entry(_ row: [SQLiteValue]) -> Entry {
        func object(_ text: String?) -> [String: String] {
            ((try? JSONValue(parsing: text ?? "{}"))?.objectValue ?? [:]).compactMapValues(\.stringValue)
        }
        let past: [String] =
            if case .array(let items)? = try? JSONValue(parsing: row[8].textValue ?? "[]") {
                items.compactMap(\.stringValue)
            } else { [] }
        let verdict = Verdict(stored: row[4].textValue ?? "")
        let stored = Step(rawValue: row[0].textValue ?? "") ?? .snapshot
        return Entry(
            step: stored == .restore && verdict == .restored ? .rollback : stored,
            startedAt: Timestamp(parsing: row[1].textValue ?? "") ?? Timestamp(microseconds: 0),
            finishedAt: Timestamp(parsing: row[2].textValue ?? "") ?? Timestamp(microseconds: 0),
            exitCode: Int32(row[3].integerValue ?? 1), verdict: verdict,
            outputs: Outputs(byRole: object(row[5].textValue)),
            digests: object(row[6].textValue), forced: row[7] == .integer(1), forcedPast: past)
    }

    @discardableResult
    private func sqlite<T>(_ body: () throws -> T) throws -> T {
        try CutoverError.onSQLiteFailure(.output, "ledger \(path)", body)
    }
}
