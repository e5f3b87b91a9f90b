import CutoverSupport
import Foundation
import SQLite

/// The drain's unresolved queue rows, on disk in member order as the one consistent read returned
/// them, then handed out a batch of members at a time. Held in memory they cost about a kilobyte a
/// row (a gigabyte at a million rows). Paging the queue table itself was the other way, and worse:
/// a member's rows split across pages would be planned against the document the earlier page had
/// just written ("superseded" instead of "applied"), every page would be its own read of a queue
/// still being written, and no index of Django's serves the member order (the sort is on
/// `replace(coalesce(ssn, ''), '-', '')`, so each page would sort the table again).
///
/// The rows are kept as the queue table's text values, decoded again when handed out, so they read
/// exactly as the first decoding did. The file lives in a private staging directory (0700, the file
/// 0600: the rows carry kennitalas) that a signal removes, and goes when the spool does.
public final class UnresolvedRowSpool {
    public typealias Member = (kennitala: String, rows: [[String?]])

    private let database: SQLiteDatabase
    private let staging: StagingDirectory
    public let path: String
    private let columns: Int
    /// Rows read back from the file at a time.
    private let pageRows: Int
    private var insert: SQLiteStatement?
    private var page: SQLiteStatement?
    /// Rows read from the file and not yet handed out, from `bufferStart` on.
    private var buffer: [(member: String, values: [String?])] = []
    private var bufferStart = 0
    private var lastRead: Int64 = 0
    private var readAll = false
    public private(set) var rows = 0
    public private(set) var members = 0
    private var lastMember: String?

    /// SQLite's page cache for the file, in KiB.
    static let cacheKiB = 256

    public init(directory: String, columns: Int, pageRows: Int) throws {
        precondition(pageRows > 0 && columns > 0)
        staging = try StagingDirectory(for: "\(directory)/cutover-drain-queue")
        path = try staging.createPrivateFile("unresolved.sqlite", naming: "the drain's queue spool")
        self.columns = columns
        self.pageRows = pageRows
        database = try SQLiteDatabase(path: path, mode: .readWrite)
        let values = (0..<columns).map { "v\($0)" }
        // A small page cache: the file is written once in key order and read back once in key order, so
        // SQLite's default (2 MB a connection, kept for the whole drain) only held pages already done
        // with; the kernel's page cache serves the rest.
        try database.execute(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -\(Self.cacheKiB); "
                + "CREATE TABLE queue (seq INTEGER PRIMARY KEY, member TEXT NOT NULL, "
                + values.joined(separator: ", ") + ")")
        insert = try database.prepare(
            "INSERT INTO queue (member, \(values.joined(separator: ", "))) VALUES (?"
                + String(repeating: ", ?", count: columns) + ")")
    }

    deinit { remove() }

    /// Deletes the file and its directory; safe to call more than once.
    public func remove() {
        insert = nil
        page = nil
        database.close()
        staging.remove()
    }

    /// Runs `body`, which appends every row, in one transaction of the spool.
    public func filling(_ body: () throws -> Void) throws {
        try database.withTransaction { try body() }
    }

    /// Appends one row (its values in table column order) of the member with this kennitala; a member's
    /// rows come together, as the read orders them.
    public func append(_ values: [String?], member: String) throws {
        precondition(values.count == columns)
        try insert?.run([.text(member)] + values.map { $0.map(SQLiteValue.text) ?? .null })
        rows += 1
        if member != lastMember {
            members += 1
            lastMember = member
        }
    }

    /// The next `count` members with all their rows, in the order appended; fewer at the end, none
    /// once every member was handed out. A member's rows are never split, however the pages fall.
    public func next(_ count: Int) throws -> [Member] {
        var handed: [Member] = []
        while handed.count < count {
            if bufferStart == buffer.count {
                guard try readPage() else { break }
            }
            let member = buffer[bufferStart].member
            var end = bufferStart
            while true {
                while end < buffer.count && buffer[end].member == member { end += 1 }
                // The member may go on in the next page.
                guard end == buffer.count, try readPage() else { break }
            }
            handed.append((member, buffer[bufferStart..<end].map(\.values)))
            bufferStart = end
        }
        buffer.removeFirst(bufferStart)
        bufferStart = 0
        return handed
    }

    /// Appends the next page of rows to the buffer, by key after the last one read; false at the end.
    private func readPage() throws -> Bool {
        guard !readAll else { return false }
        if page == nil {
            page = try database.prepare(
                "SELECT seq, member, \((0..<columns).map { "v\($0)" }.joined(separator: ", ")) FROM queue "
                    + "WHERE seq > ? ORDER BY seq LIMIT ?")
        }
        guard let page else { return false }
        try page.bind([.integer(lastRead), .integer(Int64(pageRows))])
        var read = 0
        while try page.step() {
            lastRead = page.int64(0)
            buffer.append((page.text(1) ?? "", (0..<columns).map { page.text($0 + 2) }))
            read += 1
        }
        if read < pageRows { readAll = true }
        return read > 0
    }
}
