import CutoverSupport
import LegacySync

/// Whether the queue's writers have stopped, measured from the queue table itself: its newest row by
/// `created_at` (which Django fills as a signal handler writes the row) against the retirement's clock.
///
/// Why from the table: until Path A's signal handlers are deployed away, every member save inserts a row,
/// and after retirement that insert fails the save (`relation "…" does not exist`). A deploy that is said
/// to have happened proves nothing; a table that has taken no insert for the quiet window does.
struct QuietWindow: Sendable, Equatable {
    /// The newest row by insert time.
    struct Insert: Sendable, Equatable {
        var id: Int64
        var createdAt: Timestamp
    }

    /// Nil when no row carries a readable `created_at`.
    var newest: Insert?
    /// The largest id in the table (0 when it is empty): rows exist even when none has a readable time.
    var highestID: Int64

    /// Reads the newest insert. PostgreSQL's `created_at` is a timestamp type, so its index orders instants;
    /// SQLite stores text in several forms (an offset, no zone) that sort as text in another order than
    /// their instants, so each value is parsed and compared here.
    static func measure(_ database: any LegacyDatabase, table: QueueTableName, highestID: Int64) throws -> QuietWindow {
        let qualified = database.qualified(schema: table.schema, table: table.table)
        let sql =
            database.engine == .postgresql
            ? "SELECT id, created_at FROM \(qualified) WHERE created_at IS NOT NULL AND isfinite(created_at) "
                + "ORDER BY created_at DESC, id DESC LIMIT 1"
            : "SELECT id, created_at FROM \(qualified) WHERE created_at IS NOT NULL"
        let newest: Insert? = try database.withTransaction {
            let cursor = try database.openCursor(sql)
            var newest: Insert?
            while let row = try cursor.next() {
                guard let id = row[0].flatMap({ Int64($0) }), let createdAt = row[1].flatMap(Timestamp.init(parsing:))
                else {
                    continue
                }
                if let current = newest, (current.createdAt, current.id) >= (createdAt, id) { continue }
                newest = Insert(id: id, createdAt: createdAt)
            }
            return newest
        }
        return QuietWindow(newest: newest, highestID: highestID)
    }

    /// Passes when the newest insert is at least `quietFor` seconds before `now`, or the table is empty.
    func gate(now: Timestamp, quietFor: Int64) -> RetirementGate {
        let window = "quiet window \(Self.span(quietFor))"
        guard let newest else {
            return highestID == 0
                ? .init(
                    name: .quietWindow, passed: true, detail: "the table holds no rows: nothing was inserted; \(window)"
                )
                : .init(
                    name: .quietWindow, passed: false,
                    detail: "no row has a readable created_at: the quiet window cannot be measured from the table")
        }
        let age = (now.microseconds - newest.createdAt.microseconds) / 1_000_000
        let row = "row \(newest.id) at \(newest.createdAt.iso8601)"
        if age < 0 {
            return .init(
                name: .quietWindow, passed: false,
                detail: "the last insert (\(row)) is dated \(Self.span(-age)) after this machine's clock: "
                    + "compare the database's clock with this one; \(window)")
        }
        guard age >= quietFor else {
            return .init(
                name: .quietWindow, passed: false,
                detail: "last insert \(Self.span(age)) ago (\(row)); \(window): "
                    + "\(Self.span(quietFor - age)) to go if nothing more is written")
        }
        return .init(name: .quietWindow, passed: true, detail: "last insert \(Self.span(age)) ago (\(row)); \(window)")
    }

    /// A length of time as an operator reads it: `45 s`, `10 min`, `3 min 12 s`, `2 h 5 min`, `370 d 4 h`.
    static func span(_ seconds: Int64) -> String {
        switch seconds {
        case ..<60: return "\(seconds) s"
        case ..<3_600: return "\(seconds / 60) min" + (seconds % 60 == 0 ? "" : " \(seconds % 60) s")
        case ..<86_400:
            return "\(seconds / 3_600) h" + (seconds % 3_600 / 60 == 0 ? "" : " \(seconds % 3_600 / 60) min")
        default:
            return "\(seconds / 86_400) d" + (seconds % 86_400 / 3_600 == 0 ? "" : " \(seconds % 86_400 / 3_600) h")
        }
    }
}
