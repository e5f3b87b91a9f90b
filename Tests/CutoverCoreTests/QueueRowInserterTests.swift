import CutoverSupport
import Foundation
import LegacySync
import Postgres
import SQLite
import TestSupport
import Testing

@testable import CutoverCore

/// `QueueRowInserter`, the snapshot's SQLite writer on a thread of its own (issue 21): what it stores
/// is what the rows' COPY text spells, however the batches fall, and a failure on its thread reaches
/// the reader instead of being lost.
struct QueueRowInserterTests {
    /// Values COPY text must escape, or could be confused with NULL, beside ordinary ones.
    static let rows: [[String?]] = [
        ["1", "plain", nil],
        ["2", "", "\\N"],
        ["3", "tab\there", "new\nline\r\n"],
        ["4", "back\\slash\\", "\u{8}\u{C}\u{B} bytes PostgreSQL escapes and we do not"],
        ["5", "{\"json\": \"ár og dagur ☃\"}", "\\\\N"],
        [nil, nil, nil],
    ]

    /// The rows as a batch: each through PostgreSQL's COPY text (`CopyTextRow`, whose plain lines the
    /// batch takes as they are) or as Strings (whose lines the inserter parses).
    func batch(_ rows: [[String?]], asCopyText: Bool) throws -> QueueRowBatch {
        var batch = QueueRowBatch(columns: 3, reserving: 1_024)
        for values in rows {
            guard asCopyText else {
                batch.append(StringRow(values))
                continue
            }
            var line: [UInt8] = []
            QueueCopyText.append(StringRow(values), to: &line)
            // PostgreSQL's own escapes for \b, \f and \v, which the archive's writer does not use.
            line = Array(String(decoding: line, as: UTF8.self).replacingOccurrences(of: "\u{8}", with: "\\b").utf8)
            let row = CopyTextRow()
            try line.withUnsafeBytes {
                try row.parse($0)
                batch.append(row)
            }
        }
        return batch
    }

    /// A snapshot-like `queue_rows`; `aNotNull` makes SQLite refuse a row whose first value is NULL.
    func database(_ directory: String, aNotNull: Bool = false) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: "\(directory)/s.sqlite", mode: .create)
        try database.execute("CREATE TABLE queue_rows (a TEXT\(aNotNull ? " NOT NULL" : ""), b TEXT, c TEXT)")
        return database
    }

    func stored(_ database: SQLiteDatabase) throws -> [[String?]] {
        try database.query("SELECT a, b, c FROM queue_rows ORDER BY rowid").map { row in
            row.map { value -> String? in
                if case .text(let text) = value { return text }
                return nil
            }
        }
    }

    /// Every way of cutting the rows into batches, the empty batch included, as PostgreSQL's lines or not.
    @Test(arguments: [1, 2, 3, 6], [true, false])
    func storesWhatTheTextSpellsWhereverTheBatchesEnd(rowsPerBatch: Int, asCopyText: Bool) throws {
        try withTemporaryDirectory { directory in
            let database = try database(directory)
            try database.withTransaction {
                let inserter = QueueRowInserter(
                    statement: try database.prepare("INSERT INTO queue_rows VALUES (?, ?, ?)"), columns: 3,
                    backlog: 2)
                try inserter.insert(try batch([], asCopyText: asCopyText))
                for start in stride(from: 0, to: Self.rows.count, by: rowsPerBatch) {
                    let rows = Array(Self.rows[start..<min(start + rowsPerBatch, Self.rows.count)])
                    try inserter.insert(try batch(rows, asCopyText: asCopyText))
                }
                #expect(try inserter.finish() == Self.rows.count)
            }
            #expect(try stored(database) == Self.rows)
        }
    }

    /// PostgreSQL's plain lines are taken as they are, with where their values lie; the others are
    /// left for the inserter to parse.
    @Test func onlyLinesWithoutEscapesComeWithTheirValuesPositions() throws {
        let batch = try batch(Self.rows, asCopyText: true)
        let parsed = stride(from: 0, to: batch.fieldEnds.count, by: 3).map {
            batch.fieldEnds[$0] == QueueRowBatch.parseLine
        }
        #expect(parsed == [false, true, true, true, true, false])
        #expect(batch.text == (try self.batch(Self.rows, asCopyText: false)).text, "the archive's bytes either way")
    }

    @Test func aLineWithTheWrongNumberOfFieldsIsAnInternalFailure() throws {
        try withTemporaryDirectory { directory in
            let database = try database(directory)
            let inserter = QueueRowInserter(
                statement: try database.prepare("INSERT INTO queue_rows VALUES (?, ?, ?)"), columns: 3)
            var batch = QueueRowBatch(columns: 3, reserving: 64)
            batch.append(StringRow(["1", "a"]))
            try inserter.insert(batch)
            let failure = #expect(throws: CutoverError.self) { try inserter.finish() }
            #expect(failure?.kind == .internalFailure)
            #expect(failure?.message.contains("2 fields, not 3") == true)
        }
    }

    /// SQLite's refusal happens on the inserter's thread: the next hand-over and `finish` both throw it,
    /// and the batches after it are not inserted.
    @Test func sqlitesFailureReachesTheReaderAndStopsTheInserts() throws {
        try withTemporaryDirectory { directory in
            let database = try database(directory, aNotNull: true)
            let inserter = QueueRowInserter(
                statement: try database.prepare("INSERT INTO queue_rows VALUES (?, ?, ?)"), columns: 3,
                backlog: 1)
            try inserter.insert(try batch([["1", "a", "b"], [nil, "refused", "here"]], asCopyText: true))
            #expect(throws: SQLiteError.self) { try inserter.finish() }
            #expect(throws: SQLiteError.self) {
                try inserter.insert(try batch([["3", "not", "inserted"]], asCopyText: true))
            }
            #expect(throws: SQLiteError.self) { try inserter.finish() }
            #expect(try stored(database) == [["1", "a", "b"]])
        }
    }
}
