import CutoverSupport
import Foundation
import LegacySync
import SQLite

/// The drain's memory across crashes (SQLite, one file per cutover): each drain's high-water mark,
/// every row's outcome, and for every member write an intent recorded *before* the write, with the
/// document's update time it expects to replace. A rerun finds intents without a result and asks
/// the target whether the write landed (the update time moved) instead of writing twice.
public final class DrainJournal {
    public struct Drain: Sendable, Equatable {
        public var id: Int64
        public var mark: Int64
        public var startedAt: Timestamp
        public var finishedAt: Timestamp?
        public var via: String
    }

    /// A member write that was about to happen.
    public struct Intent: Sendable, Equatable {
        public var kennitala: String
        public var rowIDs: [Int64]
        /// The document's update time before the write; nil when it did not exist.
        public var baseUpdateTime: Timestamp?
        public var outcomes: [DrainRowResult]
    }

    public let path: String
    private let database: SQLiteDatabase
    /// Rows the queue says synced whose `marked` flag waits for the journal's next transaction
    /// (`recordMarkedLater`), by drain.
    private var markedLater: [Int64: [Int64]] = [:]
    /// Outcomes (and the intents they settle) waiting for the journal's next transaction
    /// (`recordOutcomesLater`).
    private var outcomesLater: [(drain: Int64, results: [DrainRowResult], settling: [String])] = []

    /// Whether outcomes or flags wait for the next transaction (`flushLater` writes them).
    public var hasLater: Bool { !markedLater.isEmpty || !outcomesLater.isEmpty }

    static let schema = """
        CREATE TABLE IF NOT EXISTS drains (id INTEGER PRIMARY KEY, mark INTEGER NOT NULL, started_at TEXT NOT NULL,
            finished_at TEXT, via TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS row_outcomes (drain_id INTEGER NOT NULL, row_id INTEGER NOT NULL, kennitala TEXT \
        NOT NULL,
            action TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL, marked INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (drain_id, row_id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS intents (drain_id INTEGER NOT NULL, kennitala TEXT NOT NULL, intent TEXT NOT NULL,
            PRIMARY KEY (drain_id, kennitala)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS drain_sources (drain_id INTEGER PRIMARY KEY, identity TEXT NOT NULL);
        """

    public init(path: String) throws {
        self.path = path
        // FULL: an intent must be on disk before the write it announces.
        database = try StateFile.open(path, what: "drain journal", synchronous: "FULL", schema: Self.schema)
        // A batch's outcomes land on pages all over the row index (its members' rows are spread through
        // the queue), so SQLite's default 2 MB cache hit little at a million rows and held 2 MB for the
        // whole drain; the kernel keeps the file's pages. Durability is the WAL's and FULL's, not the cache's.
        try sqlite { try database.execute("PRAGMA cache_size = -\(Self.cacheKiB)") }
    }

    /// SQLite's page cache for the journal, in KiB.
    static let cacheKiB = 512

    /// The journal at `path` when it exists (verify and retire read it); nil when the file is missing.
    public static func existing(path: String) throws -> DrainJournal? {
        FileManager.default.fileExists(atPath: path) ? try DrainJournal(path: path) : nil
    }

    /// The newest drain, finished or not.
    public func latest() throws -> Drain? {
        try sqlite {
            try database.query("SELECT id, mark, started_at, finished_at, via FROM drains ORDER BY id DESC LIMIT 1")
                .first.map {
                    Drain(
                        id: $0[0].integerValue ?? 0, mark: $0[1].integerValue ?? 0,
                        startedAt: Timestamp(parsing: $0[2].textValue ?? "") ?? Timestamp(microseconds: 0),
                        finishedAt: $0[3].textValue.flatMap(Timestamp.init(parsing:)), via: $0[4].textValue ?? "")
                }
        }
    }

    /// Starts a drain; `identity` (the database and table drained) is what `retire` ties the journal to.
    /// It has a table of its own, so journals written before it was recorded still open.
    public func begin(
        mark: Int64, via: String, source: String, target: String, identity: SourceIdentity? = nil,
        at time: Timestamp
    ) throws -> Drain {
        try sqlite {
            try database.query(
                "INSERT INTO drains (mark, started_at, via, source, target) VALUES (?, ?, ?, ?, ?)",
                [.integer(mark), .text(time.iso8601), .text(via), .text(source), .text(target)])
        }
        let drain = try latest()!
        if let identity {
            try sqlite {
                try database.query(
                    "INSERT INTO drain_sources VALUES (?, ?)", [.integer(drain.id), .text(identity.json.canonicalText)])
            }
        }
        return drain
    }

    /// The database and table a drain ran on; nil when the journal did not record it.
    public func sourceIdentity(of drain: Drain) throws -> SourceIdentity? {
        try sqlite {
            SourceIdentity(
                text: try database.query("SELECT identity FROM drain_sources WHERE drain_id = ?", [.integer(drain.id)])
                    .first?.first?.textValue)
        }
    }

    public func finish(_ drain: Drain, at time: Timestamp) throws {
        try sqlite {
            try database.withTransaction {
                try writeLater()
                try database.query(
                    "UPDATE drains SET finished_at = ? WHERE id = ?", [.text(time.iso8601), .integer(drain.id)])
            }
        }
    }

    /// Every row outcome of a drain, by row id.
    public func outcomes(_ drain: Drain) throws -> [Int64: (result: DrainRowResult, marked: Bool)] {
        try sqlite {
            var found: [Int64: (DrainRowResult, Bool)] = [:]
            for row in try database.query(
                "SELECT row_id, kennitala, action, outcome, detail, marked FROM row_outcomes WHERE drain_id = ?",
                [.integer(drain.id)])
            {
                let id = row[0].integerValue ?? 0
                found[id] = (
                    DrainRowResult(
                        rowID: id, kennitala: row[1].textValue ?? "",
                        action: row[2].textValue.flatMap(QueueRow.Action.init(rawValue:)),
                        outcome: DrainOutcome(rawValue: row[3].textValue ?? "") ?? .invalid,
                        detail: row[4].textValue ?? ""), row[5] == .integer(1)
                )
            }
            return found
        }
    }

    /// How many rows of the drain have each outcome, counted by SQLite (memory stays flat).
    public func outcomeCounts(_ drain: Drain) throws -> [DrainOutcome: Int] {
        try sqlite {
            var counts: [DrainOutcome: Int] = [:]
            for row in try database.query(
                "SELECT outcome, count(*) FROM row_outcomes WHERE drain_id = ? GROUP BY outcome",
                [.integer(drain.id)])
            {
                counts[DrainOutcome(rawValue: row[0].textValue ?? "") ?? .invalid, default: 0] += Int(
                    row[1].integerValue ?? 0)
            }
            return counts
        }
    }

    /// One row's outcome in the drain, if it has one.
    public func outcome(_ drain: Drain, rowID: Int64) throws -> DrainRowResult? {
        try sqlite {
            try database.query(
                "SELECT kennitala, action, outcome, detail FROM row_outcomes WHERE drain_id = ? AND row_id = ?",
                [.integer(drain.id), .integer(rowID)]
            ).first.map { row in
                DrainRowResult(
                    rowID: rowID, kennitala: row[0].textValue ?? "",
                    action: row[1].textValue.flatMap(QueueRow.Action.init(rawValue:)),
                    outcome: DrainOutcome(rawValue: row[2].textValue ?? "") ?? .invalid, detail: row[3].textValue ?? "")
            }
        }
    }

    /// Records intents before their writes, in one transaction.
    public func recordIntents(_ intents: [Intent], drain: Drain) throws {
        try recordPlanned(settled: [], intents: intents, drain: drain)
    }

    /// A planned batch in one transaction (one fsync): the outcomes of the rows it settled without a
    /// write, and the intents of the writes it is about to send. Either both are on disk or neither is,
    /// and in both cases before any of the writes is sent.
    public func recordPlanned(settled: [DrainRowResult], intents: [Intent], drain: Drain) throws {
        guard !settled.isEmpty || !intents.isEmpty || hasLater else { return }
        try sqlite {
            try database.withTransaction {
                try writeLater()
                try insertOutcomes(settled, drain: drain)
                let statement = try database.prepare(
                    "INSERT OR REPLACE INTO intents (drain_id, kennitala, intent) VALUES (?, ?, ?)")
                for intent in intents {
                    try statement.run([
                        .integer(drain.id), .text(intent.kennitala), .text(Self.encode(intent).canonicalText),
                    ])
                }
            }
        }
    }

    public func openIntents(_ drain: Drain) throws -> [Intent] {
        try sqlite {
            try database.query("SELECT intent FROM intents WHERE drain_id = ? ORDER BY kennitala", [.integer(drain.id)])
                .compactMap {
                    try Self.decode(JSONValue(parsing: $0[0].textValue ?? "{}"))
                }
        }
    }

    /// Records outcomes (and clears the intents they settle), in one transaction.
    public func recordOutcomes(_ results: [DrainRowResult], settling kennitalas: [String], drain: Drain) throws {
        try sqlite {
            try database.withTransaction {
                try writeLater()
                try insertOutcomes(results, drain: drain)
                let clear = try database.prepare("DELETE FROM intents WHERE drain_id = ? AND kennitala = ?")
                for kennitala in kennitalas { try clear.run([.integer(drain.id), .text(kennitala)]) }
            }
        }
    }

    /// Inside a transaction: the rows' outcomes, not yet marked in the queue.
    private func insertOutcomes(_ results: [DrainRowResult], drain: Drain) throws {
        try insertOutcomes(results, drainID: drain.id)
    }

    private func insertOutcomes(_ results: [DrainRowResult], drainID: Int64) throws {
        guard !results.isEmpty else { return }
        let insert = try database.prepare(
            "INSERT OR REPLACE INTO row_outcomes (drain_id, row_id, kennitala, action, outcome, detail, marked) "
                + "VALUES (?, ?, ?, ?, ?, ?, 0)")
        for result in results {
            try insert.run([
                .integer(drainID), .integer(result.rowID), .text(result.kennitala), .text(result.actionText),
                .text(result.outcome.rawValue), .text(result.detail),
            ])
        }
    }

    /// Notes that the queue table now says synced for these rows.
    public func recordMarked(_ ids: [Int64], drain: Drain) throws {
        recordMarkedLater(ids, drain: drain)
        try flushLater()
    }

    /// Outcomes of writes that were answered, and the intents they settle, written with the journal's next
    /// transaction (the next batch's, `recordPlanned`) or `flushLater`, not in one of their own: each
    /// transaction waits for its fsync, and the drain's planning task, the drain's bottleneck, waited for
    /// three a batch (issue 21). Until then a crash leaves the intents open, as a crash between a write's
    /// answer and its outcome always did: the rerun asks the target whether each landed. The queue is
    /// marked only once they are on disk (the caller's order).
    public func recordOutcomesLater(_ results: [DrainRowResult], settling kennitalas: [String], drain: Drain) {
        guard !results.isEmpty || !kennitalas.isEmpty else { return }
        outcomesLater.append((drain.id, results, kennitalas))
    }

    /// Notes it in the journal's next transaction (or `flushLater`, or `finish`), not in one of its own,
    /// as `recordOutcomesLater` does. Crash safety is the same: the flag only saves a rerun's work. A row
    /// whose outcome is recorded but not its flag is marked again by the rerun, which touches only rows the
    /// queue does not yet say synced — the state a crash between the queue's update and this note always
    /// left.
    public func recordMarkedLater(_ ids: [Int64], drain: Drain) {
        guard !ids.isEmpty else { return }
        markedLater[drain.id, default: []] += ids
    }

    /// Writes what waits for the next transaction, in a transaction of its own.
    public func flushLater() throws {
        guard hasLater else { return }
        try sqlite { try database.withTransaction { try writeLater() } }
    }

    /// Inside a transaction: what `recordOutcomesLater` and `recordMarkedLater` hold, outcomes first.
    private func writeLater() throws {
        guard hasLater else { return }
        if !outcomesLater.isEmpty {
            let clear = try database.prepare("DELETE FROM intents WHERE drain_id = ? AND kennitala = ?")
            for (drain, results, kennitalas) in outcomesLater {
                try insertOutcomes(results, drainID: drain)
                for kennitala in kennitalas { try clear.run([.integer(drain), .text(kennitala)]) }
            }
            outcomesLater = []
        }
        if !markedLater.isEmpty {
            let statement = try database.prepare(
                "UPDATE row_outcomes SET marked = 1 WHERE drain_id = ? AND row_id = ?")
            for (drain, ids) in markedLater {
                for id in ids { try statement.run([.integer(drain), .integer(id)]) }
            }
            markedLater = [:]
        }
    }

    private static func encode(_ intent: Intent) -> JSONValue {
        [
            "kennitala": .string(intent.kennitala),
            "rows": .array(intent.rowIDs.map(JSONValue.integer)),
            "base_update_time": intent.baseUpdateTime.map { .string($0.iso8601) } ?? .null,
            "outcomes": .array(
                intent.outcomes.map {
                    [
                        "row": .integer($0.rowID), "kennitala": .string($0.kennitala), "action": .string($0.actionText),
                        "outcome": .string($0.outcome.rawValue), "detail": .string($0.detail),
                    ]
                }),
        ]
    }

    private static func decode(_ json: JSONValue) -> Intent? {
        guard let kennitala = json["kennitala"]?.stringValue, case .array(let rows)? = json["rows"],
            case .array(let outcomes)? = json["outcomes"]
        else { return nil }
        return Intent(
            kennitala: kennitala, rowIDs: rows.compactMap(\.integerValue),
            baseUpdateTime: json["base_update_time"]?.stringValue.flatMap(Timestamp.init(parsing:)),
            outcomes: outcomes.compactMap { entry in
                guard let row = entry["row"]?.integerValue,
                    let outcome = entry["outcome"]?.stringValue.flatMap(DrainOutcome.init)
                else { return nil }
                return DrainRowResult(
                    rowID: row, kennitala: entry["kennitala"]?.stringValue ?? "",
                    action: entry["action"]?.stringValue.flatMap(QueueRow.Action.init(rawValue:)),
                    outcome: outcome, detail: entry["detail"]?.stringValue ?? "")
            })
    }

    @discardableResult
    private func sqlite<T>(_ body: () throws -> T) throws -> T {
        try CutoverError.onSQLiteFailure(.output, "drain journal \(path)", body)
    }
}
