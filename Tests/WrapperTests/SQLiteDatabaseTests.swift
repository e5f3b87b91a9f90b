import SQLite
import TestSupport
import Testing

struct SQLiteDatabaseTests {
    @Test func storesAndReadsEveryValueKind() throws {
        try withTemporaryDirectory { directory in
            let database = try SQLiteDatabase(path: directory + "/t.sqlite", mode: .create)
            try database.execute("CREATE TABLE t (a, b, c, d, e)")
            try database.query(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.integer(-5), .real(1.5), "ísland", .blob([0, 255]), .null])
            let rows = try database.query("SELECT * FROM t")
            #expect(rows == [[.integer(-5), .real(1.5), .text("ísland"), .blob([0, 255]), .null]])
            #expect(rows[0][3].textValue == "00ff")
        }
    }

    @Test func bindTextFromBytesKeepsEmptyStringsApartFromNull() throws {
        try withTemporaryDirectory { directory in
            let database = try SQLiteDatabase(path: directory + "/t.sqlite", mode: .create)
            try database.execute("CREATE TABLE t (v TEXT)")
            let insert = try database.prepare("INSERT INTO t VALUES (?)")
            for value: [UInt8]? in [Array("x".utf8), [], nil] {
                insert.reset()
                if let value {
                    try value.withUnsafeBytes { try insert.bindText($0, at: 1) }
                } else {
                    try insert.bindText(nil, at: 1)
                }
                try insert.step()
            }
            #expect(try database.query("SELECT v FROM t ORDER BY rowid") == [["x"], [""], [.null]])
        }
    }

    @Test func transactionRollsBackAndErrorsCarryCodeAndStatement() throws {
        try withTemporaryDirectory { directory in
            let database = try SQLiteDatabase(path: directory + "/t.sqlite", mode: .create)
            try database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            #expect(throws: SQLiteError.self) {
                try database.withTransaction {
                    try database.query("INSERT INTO t VALUES (1)")
                    try database.query("INSERT INTO t VALUES (1)")
                }
            }
            #expect(try database.query("SELECT count(*) FROM t") == [[.integer(0)]])
            let error = #expect(throws: SQLiteError.self) { try database.query("SELECT nope FROM t") }
            #expect(error?.resultCode == 1)
            #expect(error?.statement == "SELECT nope FROM t")
        }
    }

    @Test func missingFileIsAnErrorInReadOnlyMode() {
        let error = #expect(throws: SQLiteError.self) {
            try SQLiteDatabase(path: "/nonexistent/dir/x.sqlite", mode: .readOnly)
        }
        #expect(error?.resultCode == 14)
    }
}
