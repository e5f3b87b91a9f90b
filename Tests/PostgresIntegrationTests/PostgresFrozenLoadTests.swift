import CutoverSupport
import LegacySync
import Postgres
import TestSupport
import Testing

/// `bulkLoadFrozen` on PostgreSQL (`PostgresFrozenBinaryLoad`): binary COPY when every column has an encoder, text otherwise, and text
/// again for every row when one value's text is not one the encoder takes; whichever way, the table reads
/// back as the texts loaded, its pages frozen. It never empties a table the transaction did not create.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct PostgresFrozenLoadTests {
    private static let rows: [[String?]] = (1...500).map { id in
        [
            String(id), id % 7 == 0 ? nil : "\(id * 37 % 1000)", "Þ-\(id)", "{\"n\": \(id)}",
            "2025-11-\(10 + id % 20) 03:30:07.\(id)7+00", id % 5 == 0 ? nil : "2024-02-29 00:00:0\(id % 10)",
        ]
    }

    /// Creates `t` in a transaction, loads `rows` frozen (the text path as `bulkLoadFrozen` runs it), and
    /// returns how they went in, what reads back and the pages' state.
    private func load(
        _ rows: [[String?]], amountType: String
    ) throws -> (format: PostgresFrozenBinaryLoad.Format, read: [[String?]], pages: [String?]) {
        try TestPostgres.withFreshDatabase { url in
            let connection = try PostgresConnection(url)
            try connection.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'")
            let columns = ["id", "amount", "name", "doc", "at", "at_local"]
            let format = try connection.withTransaction {
                try connection.execute(
                    "CREATE TABLE t (id int4, amount \(amountType), name varchar(20), doc jsonb, at timestamptz, "
                        + "at_local timestamp)")
                return try PostgresFrozenBinaryLoad(connection: connection, table: "\"public\".\"t\"", columns: columns)
                    .run(
                        { sink in for row in rows { try sink.write(row) } },
                        orAsText: {
                            try connection.copyIn(
                                "COPY \"public\".\"t\" (\(columns.joined(separator: ", "))) FROM STDIN WITH (FREEZE)"
                            ) {
                                writer in for row in rows { try writer.writeRow(row) }
                            }
                        })
            }
            var read: [[String?]] = []
            try connection.copyOut("COPY (SELECT * FROM t ORDER BY id) TO STDOUT") { read.append($0.strings) }
            try connection.execute("CREATE EXTENSION IF NOT EXISTS pg_visibility")
            let pages =
                try connection.query(
                    "SELECT pg_relation_size('t') / current_setting('block_size')::int, all_visible, all_frozen "
                        + "FROM pg_visibility_map_summary('t')"
                ).rows.first ?? []
            return (format, read, pages)
        }
    }

    private func expectFaithfulAndFrozen(
        _ outcome: (format: PostgresFrozenBinaryLoad.Format, read: [[String?]], pages: [String?]),
        _ expected: [[String?]], _ format: PostgresFrozenBinaryLoad.Format
    ) {
        #expect(outcome.format == format)
        #expect(outcome.read == expected)
        #expect(outcome.pages.count == 3 && outcome.pages[0] != "0", "\(outcome.pages)")
        #expect(Set(outcome.pages).count == 1, "every page all-visible and all-frozen: \(outcome.pages)")
    }

    @Test func everyColumnEncodableLoadsInBinary() throws {
        expectFaithfulAndFrozen(try load(Self.rows, amountType: "int8"), Self.rows, .binary)
    }

    /// numeric has no encoder here: the whole table goes as text.
    @Test func aColumnWithoutAnEncoderLoadsAsText() throws {
        expectFaithfulAndFrozen(try load(Self.rows, amountType: "numeric"), Self.rows, .text)
    }

    /// Row 400's amount is `' 12'`, which PostgreSQL takes and the encoder leaves to it: every row goes again
    /// as text, and the table holds what text COPY makes of them (`12`).
    @Test func aValueTheEncoderRefusesLoadsEveryRowAsText() throws {
        var rows = Self.rows
        rows[399][1] = " 12"
        var expected = Self.rows
        expected[399][1] = "12"
        expectFaithfulAndFrozen(try load(rows, amountType: "int8"), expected, .textAfterRefusal)
    }

    /// A table that holds rows of its own (not created in the transaction) is refused by COPY FREEZE, as the
    /// text load always refused it: the binary path's TRUNCATE never runs on it. An ALTER in the transaction
    /// (the second case) gives the older table's catalog row the transaction's xmin: the look for a row, not
    /// the xmin alone, keeps the TRUNCATE away from it then.
    @Test(arguments: ["", "ALTER TABLE t ADD CONSTRAINT positive CHECK (id > 0)"])
    func aTableOlderThanTheTransactionKeepsItsRows(alteredFirst alter: String) throws {
        try TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            try database.execute("CREATE TABLE t (id int4); INSERT INTO t SELECT generate_series(1, 10)")
            #expect(throws: CutoverError.self) {
                try database.withTransaction {
                    if !alter.isEmpty { try database.execute(alter) }
                    try database.bulkLoadFrozen(intoTableCreatedInThisTransaction: "\"public\".\"t\"", columns: ["id"])
                    {
                        sink in try sink.write(["11"])
                    }
                }
            }
            #expect(try PostgresConnection(url).query("SELECT count(*), max(id) FROM t").rows.first == ["10", "10"])
        }
    }
}
