import CutoverSupport
import Foundation
import LegacySync
import SQLite

/// Every row outcome of a drain, kept on disk instead of in memory: the report held about a kilobyte
/// a row, and a drain of a million rows passed a gigabyte. An SQLite file in a private staging
/// directory (0700, the file 0600: the rows carry kennitalas unmasked), removed when the report goes
/// and by the signal handler (`CleanupRegistry`) when the run is stopped; without a directory, in
/// memory (reports built by hand, tests). `drain.json` reads the rows back in row order from an index
/// made once the rows are in; the counts are tallied as rows are added, so no report has to read
/// every row to say how many there are.
///
/// Rows are appended in the order the drain settles them (member order), one transaction per call.
public final class DrainRowSpool: @unchecked Sendable {
    // Only the drain's own task writes (one batch at a time); the rows are read once it returned.
    private let database: SQLiteDatabase
    private let staging: StagingDirectory?
    /// The spool file; nil in memory.
    public let path: String?
    private let insert: SQLiteStatement
    private var indexed = false
    /// Outcome → rows, for this run's rows (false) and the carried-over ones (true).
    private var tally: [Bool: [DrainOutcome: Int]] = [:]

    /// SQLite's page cache for the spool, in KiB.
    static let cacheKiB = 256

    /// A spool in a fresh private staging directory inside `directory`, or in memory when nil.
    public init(directory: String?) throws {
        if let directory {
            let staging = try StagingDirectory(for: "\(directory)/cutover-drain-rows")
            let path = try staging.createPrivateFile("rows.sqlite", naming: "the drain's row spool")
            self.staging = staging
            self.path = path
            database = try SQLiteDatabase(path: path, mode: .readWrite)
        } else {
            staging = nil
            path = nil
            database = try SQLiteDatabase(path: ":memory:", mode: .create)
        }
        // A scratch file: nothing to recover after a crash (the journal is the record), so no journal.
        // Rows are only appended until the report reads them back once: a small page cache (SQLite's
        // default is 2 MB a connection, held for the whole drain) loses nothing the kernel does not keep.
        try database.execute(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -\(Self.cacheKiB); "
                + "CREATE TABLE rows (row_id INTEGER NOT NULL, kennitala TEXT NOT NULL, action TEXT, "
                + "outcome TEXT NOT NULL, detail TEXT NOT NULL, carried INTEGER NOT NULL)")
        insert = try database.prepare(
            "INSERT INTO rows (row_id, kennitala, action, outcome, detail, carried) VALUES (?, ?, ?, ?, ?, ?)")
    }

    deinit {
        database.close()
        staging?.remove()
    }

    /// Adds rows: this run's, or (`carried`) those an interrupted run of the same drain recorded.
    public func append(_ rows: [DrainRowResult], carried: Bool = false) throws {
        guard !rows.isEmpty else { return }
        try database.withTransaction {
            for row in rows {
                try insert.run([
                    .integer(row.rowID), .text(row.kennitala), row.action.map { .text($0.rawValue) } ?? .null,
                    .text(row.outcome.rawValue), .text(row.detail), .integer(carried ? 1 : 0),
                ])
                tally[carried, default: [:]][row.outcome, default: 0] += 1
            }
        }
    }

    /// Removes this run's rows, or the carried-over ones.
    public func removeAll(carried: Bool) throws {
        try database.execute("DELETE FROM rows WHERE carried = \(carried ? 1 : 0)")
        tally[carried] = nil
    }

    /// Outcome → rows; `carried` nil counts both kinds.
    public func counts(carried: Bool? = nil) -> [DrainOutcome: Int] {
        var counts: [DrainOutcome: Int] = [:]
        for (kind, outcomes) in tally where carried == nil || carried == kind {
            counts.merge(outcomes, uniquingKeysWith: +)
        }
        return counts
    }

    /// Calls `body` for the rows in row-id order (ties in the order added) — those with one of
    /// `outcomes` when given, of one kind when `carried` is given — at most `limit` of them.
    public func forEach(
        outcomes: [DrainOutcome]? = nil, carried: Bool? = nil, limit: Int? = nil,
        _ body: (DrainRowResult) throws -> Void
    ) throws {
        if !indexed {
            // Made once the rows are in: kept up while rows arrive in member order, it cost a random
            // page of the index for every row.
            try database.execute("CREATE INDEX rows_by_id ON rows (row_id)")
            indexed = true
        }
        try select(
            where: filter(outcomes: outcomes, carried: carried), order: "row_id, rowid", limit: limit, body)
    }

    /// The rows of one kind in the order they were added.
    public func inOrderAdded(carried: Bool) throws -> [DrainRowResult] {
        var rows: [DrainRowResult] = []
        try select(where: filter(outcomes: nil, carried: carried), order: "rowid", limit: nil) { rows.append($0) }
        return rows
    }

    private func filter(outcomes: [DrainOutcome]?, carried: Bool?) -> String {
        var conditions: [String] = []
        if let outcomes {
            conditions.append("outcome IN (\(outcomes.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
        }
        if let carried { conditions.append("carried = \(carried ? 1 : 0)") }
        return conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    private func select(
        where filter: String, order: String, limit: Int?, _ body: (DrainRowResult) throws -> Void
    ) throws {
        let statement = try database.prepare(
            "SELECT row_id, kennitala, action, outcome, detail FROM rows \(filter) ORDER BY \(order)"
                + (limit.map { " LIMIT \($0)" } ?? ""))
        while try statement.step() {
            guard let outcome = statement.text(3).flatMap(DrainOutcome.init(rawValue:)) else {
                throw CutoverError(.output, "the drain's row spool holds an outcome it did not write")
            }
            try body(
                DrainRowResult(
                    rowID: statement.int64(0), kennitala: statement.text(1) ?? "",
                    action: statement.text(2).flatMap(QueueRow.Action.init(rawValue:)), outcome: outcome,
                    detail: statement.text(4) ?? ""))
        }
    }
}
