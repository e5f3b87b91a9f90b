import CutoverSupport
import Dispatch
import Foundation
import Postgres
import SQLite
import Synchronization

/// Inserts the snapshot's queue rows into `queue_rows` on a thread of its own, from batches of their
/// COPY text (`QueueRowBatch`: whole lines, tab-separated, `\N` for NULL, with where each value lies),
/// so the thread reading the source only checks, hashes and formats rows while this one steps SQLite.
///
/// Why: `snapshot --archive` of 1,000,000 rows had one thread doing all of that, one row after another,
/// and it was the command's critical path (about 1.95 s of CPU, a third of it SQLite;
/// Benchmarks/results/issue21-onepass-profile.md); the batches are the ones the compressor and the
/// digests already receive, so the hand-over copies nothing.
///
/// The values bound are the ones the text spells: slices of PostgreSQL's own line where it had no
/// escapes; otherwise the line is parsed here, and `PostgresCopyWriter.appendEscaped` escapes backslash,
/// tab, newline and carriage return while `CopyTextRow.parse` undoes exactly those (and PostgreSQL's
/// other escapes), so every byte string, the empty one and a literal `\N` included, comes back as it
/// went in. The reader hashes the source's own bytes for the manifest, so a value that did not come back
/// would make the snapshot fail its own content check rather than pass unnoticed.
///
/// `@unchecked Sendable`: the statement (and through it the database) is used only on `queue`, one
/// batch after another, between `init` and `finish`; the owner must not touch the database meanwhile
/// (SQLite is opened `NOMUTEX`). `finish` waits for the queue before handing the database back.
final class QueueRowInserter: @unchecked Sendable {
    private let statement: SQLiteStatement
    private let columns: Int
    private let queue = DispatchQueue(label: "QueueRowInserter")
    private let room: DispatchSemaphore
    /// The first failure on `queue`; later batches are skipped and `insert` rethrows it.
    private let failure = Mutex<(any Error)?>(nil)
    /// Touched only on `queue`.
    private let row = CopyTextRow()
    private var inserted = 0

    /// `statement` inserts one row of `columns` text values. At most `backlog` batches wait.
    init(statement: SQLiteStatement, columns: Int, backlog: Int = 4) {
        self.statement = statement
        self.columns = columns
        room = DispatchSemaphore(value: backlog)
    }

    /// Queues `batch` for insertion after every batch before it; blocks while `backlog` batches wait.
    /// Throws the failure of an earlier batch, if there was one.
    func insert(_ batch: QueueRowBatch) throws {
        precondition(batch.columns == columns, "a batch of \(batch.columns) columns for \(columns)")
        if let failed = failure.withLock({ $0 }) { throw failed }
        room.wait()
        queue.async {
            defer { self.room.signal() }
            guard self.failure.withLock({ $0 == nil }) else { return }
            do { try self.insertRows(batch) } catch { self.failure.withLock { $0 = error } }
        }
    }

    /// Waits for every batch; the number of rows inserted, or the first failure.
    func finish() throws -> Int {
        queue.sync {}
        if let failed = failure.withLock({ $0 }) { throw failed }
        return inserted
    }

    private func insertRows(_ batch: QueueRowBatch) throws {
        try batch.text.withUnsafeBytes { text in
            guard let base = text.baseAddress else { return }
            try batch.fieldEnds.withUnsafeBufferPointer { ends in
                // Where the next row's line starts.
                var start = 0
                for row in stride(from: 0, to: ends.count, by: columns) {
                    statement.reset()
                    if ends[row] == QueueRowBatch.parseLine {
                        start = try bindParsed(text, base, from: start)
                    } else {
                        for field in 0..<columns {
                            let entry = Int(ends[row + field])
                            let end = entry < 0 ? -1 - entry : entry
                            // The batch stays put until the insert has stepped: no copy needed.
                            try statement.bindText(
                                entry < 0 ? nil : UnsafeRawBufferPointer(rebasing: text[start..<end]), at: field + 1,
                                copy: false)
                            start = end + 1
                        }
                    }
                    try statement.step()
                    inserted += 1
                }
                guard start == text.count else {
                    throw CutoverError(.internalFailure, "a batch of queue rows has text after its last row")
                }
            }
        }
    }

    /// Parses the line at `start` and binds its values; where the next line starts.
    private func bindParsed(_ text: UnsafeRawBufferPointer, _ base: UnsafeRawPointer, from start: Int) throws -> Int {
        guard let found = memchr(base + start, 10, text.count - start) else {
            throw CutoverError(.internalFailure, "a batch of queue rows ends inside a line")
        }
        let newline = base.distance(to: UnsafeRawPointer(found))
        try row.parse(UnsafeRawBufferPointer(rebasing: text[start...newline]))
        guard row.count == columns else {
            throw CutoverError(.internalFailure, "a queue row's COPY text has \(row.count) fields, not \(columns)")
        }
        for field in 0..<columns {
            try row.withBytes(field) { try statement.bindText($0, at: field + 1, copy: false) }
        }
        return newline + 1
    }
}
