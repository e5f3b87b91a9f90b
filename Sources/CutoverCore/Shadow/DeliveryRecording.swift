import CutoverSupport
import Foundation
import SQLite

/// The shadow receiver's record (SQLite, one file): every webhook delivery as it arrived — accepted or
/// rejected, with the reason — committed before the caller gets an answer, and what became of it.
/// `shadow run` keeps its progress and its Path A outcomes in the same file, so `shadow compare`
/// finds both sides in one place. Mode 0600: the bodies hold personal data.
public actor DeliveryRecording {
    public struct Delivery: Sendable, Equatable {
        public var id: Int64
        public var receivedAt: Timestamp
        /// Without a hyphen; empty when the request had none.
        public var kennitala: String
        public var action: String
        /// What the receiver answered (or forwarded back).
        public var status: Int
        /// Why it was rejected, or what the real webhook said; empty when accepted.
        public var reason: String
        public var body: String
    }

    public struct ShadowRow: Sendable, Equatable {
        public var rowID: Int64
        public var kennitala: String
        public var action: String
        public var createdAt: Timestamp
        public var outcome: String
    }

    public let path: String
    private let database: SQLiteDatabase
    private let insert: SQLiteStatement
    private let settle: SQLiteStatement

    static let schema = """
        CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL,
            kennitala TEXT NOT NULL, action TEXT NOT NULL, status INTEGER NOT NULL, reason TEXT NOT NULL, body TEXT \
            NOT NULL);
        CREATE INDEX IF NOT EXISTS deliveries_by_time ON deliveries (received_at);
        CREATE TABLE IF NOT EXISTS shadow_rows (row_id INTEGER PRIMARY KEY, kennitala TEXT NOT NULL, action TEXT NOT \
        NULL,
            created_at TEXT NOT NULL, outcome TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS shadow_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """

    public init(path: String) throws {
        self.path = path
        let existed = FileManager.default.fileExists(atPath: path)
        // WAL with NORMAL: a commit survives the process dying (the case that matters for a receiver);
        // each answer waits for its commit.
        database = try StateFile.open(path, what: "delivery record", schema: Self.schema)
        if !existed { chmod(path, 0o600) }
        do {
            insert = try database.prepare(
                "INSERT INTO deliveries (received_at, kennitala, action, status, reason, body) VALUES (?, ?, ?, ?, ?, "
                    + "?) RETURNING id"
            )
            settle = try database.prepare("UPDATE deliveries SET status = ?, reason = ? WHERE id = ?")
        } catch let error as SQLiteError {
            throw CutoverError(.output, "cannot open the delivery record \(path): \(error.message)")
        }
    }

    /// Records a delivery and commits; returns its id.
    public func record(
        receivedAt: Timestamp, kennitala: String, action: String, status: Int, reason: String, body: String
    ) throws -> Int64 {
        try sqlite {
            insert.reset()
            try insert.bind([
                .text(receivedAt.iso8601), .text(kennitala), .text(action), .integer(Int64(status)), .text(reason),
                .text(body),
            ])
            guard try insert.step() else { return 0 }
            let id = insert.int64(0)
            insert.reset()
            return id
        }
    }

    /// Notes the answer a recorded delivery finally got (the real webhook's, or the shadow model's).
    public func settle(_ id: Int64, status: Int, reason: String) throws {
        try sqlite { try settle.run([.integer(Int64(status)), .text(reason), .integer(id)]) }
    }

    public func deliveries(from: Timestamp? = nil, until: Timestamp? = nil) throws -> [Delivery] {
        try sqlite {
            try database.query(
                "SELECT id, received_at, kennitala, action, status, reason, body FROM deliveries "
                    + "WHERE received_at >= ? AND received_at <= ? ORDER BY id",
                [.text(from?.iso8601 ?? ""), .text(until?.iso8601 ?? "9999")]
            ).map {
                Delivery(
                    id: $0[0].integerValue ?? 0,
                    receivedAt: Timestamp(parsing: $0[1].textValue ?? "") ?? Timestamp(microseconds: 0),
                    kennitala: $0[2].textValue ?? "", action: $0[3].textValue ?? "",
                    status: Int($0[4].integerValue ?? 0),
                    reason: $0[5].textValue ?? "", body: $0[6].textValue ?? "")
            }
        }
    }

    public func count() throws -> Int {
        try sqlite { Int(try database.query("SELECT count(*) FROM deliveries").first?[0].integerValue ?? 0) }
    }

    // MARK: shadow run's side

    /// The last queue row `shadow run` applied (or the id it started after); nil before its first run.
    public func lastShadowRow() throws -> Int64? {
        try sqlite {
            guard
                let start = try database.query("SELECT value FROM shadow_state WHERE key = 'start_after'").first?[0]
                    .integerValue
            else { return nil }
            return max(
                start,
                try database.query("SELECT coalesce(max(row_id), 0) FROM shadow_rows").first?[0].integerValue ?? 0)
        }
    }

    /// `shadow run`'s first run: rows up to `id` were there before the dual-run began.
    public func startShadowRun(after id: Int64) throws {
        try sqlite {
            try database.query(
                "INSERT OR IGNORE INTO shadow_state (key, value) VALUES ('start_after', ?)", [.integer(id)])
        }
    }

    public func recordShadowRow(_ row: ShadowRow) throws {
        try sqlite {
            try database.query(
                "INSERT OR REPLACE INTO shadow_rows (row_id, kennitala, action, created_at, outcome) VALUES (?, ?, ?, "
                    + "?, ?)",
                [
                    .integer(row.rowID), .text(row.kennitala), .text(row.action), .text(row.createdAt.iso8601),
                    .text(row.outcome),
                ])
        }
    }

    public func shadowRows() throws -> [ShadowRow] {
        try sqlite {
            try database.query("SELECT row_id, kennitala, action, created_at, outcome FROM shadow_rows ORDER BY row_id")
                .map {
                    ShadowRow(
                        rowID: $0[0].integerValue ?? 0, kennitala: $0[1].textValue ?? "", action: $0[2].textValue ?? "",
                        createdAt: Timestamp(parsing: $0[3].textValue ?? "") ?? Timestamp(microseconds: 0),
                        outcome: $0[4].textValue ?? "")
                }
        }
    }

    @discardableResult
    private func sqlite<T>(_ body: () throws -> T) throws -> T {
        try CutoverError.onSQLiteFailure(.output, "delivery record \(path)", body)
    }
}
