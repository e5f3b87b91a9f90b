import Postgres
import TestSupport
import Testing

@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct PostgresConnectionTests {
    @Test func connectsWithURIAndConninfoAndRunsParameterisedQueries() throws {
        let uri = try PostgresConnection(TestPostgres.url!)
        #expect(try uri.query("SELECT $1::int + $2::int", ["40", "2"]).value(0, 0) == "42")
        #expect(uri.serverVersion >= 150000)
        let conninfo = try PostgresConnection(
            "host=\(TestPostgres.host) port=\(TestPostgres.port) user=\(TestPostgres.user) "
                + "password=\(TestPostgres.password) dbname=postgres")
        #expect(try conninfo.query("SELECT $1::text IS NULL", [nil]).value(0, 0) == "t")
    }

    @Test func backendPIDIsTheServersOwnForTheConnection() throws {
        let connection = try PostgresConnection(TestPostgres.url!)
        let pid = try #require(connection.backendPID)
        #expect(try connection.query("SELECT pg_backend_pid()").value(0, 0) == String(pid))
        connection.close()
        #expect(connection.backendPID == nil)
    }

    @Test func redactedTargetNeverShowsThePassword() throws {
        let target = try PostgresTarget(TestPostgres.url!)
        #expect(!target.redacted.contains(TestPostgres.password))
        #expect(
            target.redacted == "postgresql://\(TestPostgres.user)@\(TestPostgres.host):\(TestPostgres.port)/postgres")
        let conninfo = try PostgresTarget("host=db.example port=6543 user=app password=hunter2 dbname=register")
        #expect(conninfo.redacted == "postgresql://app@db.example:6543/register")
    }

    @Test func malformedConnectionStringIsRefusedWithoutEchoingIt() {
        let error = #expect(throws: PostgresError.self) { try PostgresTarget("host=x password=s3cret bogus") }
        #expect(error?.code == .invalidTarget)
        #expect(!(error?.description.contains("s3cret") ?? true))
    }

    @Test func wrongPasswordIsAnAuthenticationFailure() {
        let url = "postgresql://\(TestPostgres.user):wrong-password@\(TestPostgres.host):\(TestPostgres.port)/postgres"
        let error = #expect(throws: PostgresError.self) { try PostgresConnection(url) }
        #expect(error?.code == .authenticationFailed)
        #expect(!(error?.description.contains("wrong-password") ?? true))
    }

    @Test func unreachableServerIsReported() {
        // Port 1 on loopback: nothing listens there.
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
        }
        #expect(error?.code == .unreachable)
        #expect(error?.target == "postgresql://nobody@127.0.0.1:1/none")
    }

    @Test func serverErrorsCarrySQLStateMessageAndStatement() throws {
        let connection = try PostgresConnection(TestPostgres.url!)
        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT * FROM no_such_table") }
        #expect(error?.sqlState == "42P01")
        #expect(error?.statement == "SELECT * FROM no_such_table")
        #expect(error?.message.contains("no_such_table") == true)
        // The connection stays usable after an error.
        #expect(try connection.query("SELECT 1").value(0, 0) == "1")
    }

    @Test func streamsRowsOneAtATimeAndCancelsWhenTheBodyThrows() throws {
        let connection = try PostgresConnection(TestPostgres.url!)
        var sum = 0
        try connection.stream("SELECT g FROM generate_series(1, $1::int) g", ["10000"]) { row in
            sum += Int(row.value(0)!)!
        }
        #expect(sum == 50_005_000)
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try connection.stream("SELECT g FROM generate_series(1, 1000000) g") { _ in
                seen += 1
                if seen == 5 { throw Stop() }
            }
        }
        #expect(seen == 5)
        #expect(try connection.query("SELECT 'still usable'").value(0, 0) == "still usable")
    }

    @Test func copyRoundTripsAwkwardValues() throws {
        try TestPostgres.withFreshDatabase { url in
            let connection = try PostgresConnection(url)
            try connection.execute("CREATE TABLE t (id int, v text)")
            let values: [String?] = ["plain", "tab\there", "new\nline", "back\\slash", "\\N", nil, "", "ísland ☃"]
            try connection.copyIn("COPY t FROM STDIN") { writer in
                for (index, value) in values.enumerated() { try writer.writeRow([String(index), value]) }
            }
            var read: [String?] = []
            try connection.copyOut("COPY (SELECT v FROM t ORDER BY id) TO STDOUT") { row in
                #expect(row.count == 1)
                read.append(row.string(0))
            }
            #expect(read == values)
            // The same values through the ordinary query path.
            let viaQuery = try connection.query("SELECT v FROM t ORDER BY id").rows.map { $0[0] }
            #expect(viaQuery == values)
        }
    }

    @Test func failedCopyInLeavesNothingBehind() throws {
        try TestPostgres.withFreshDatabase { url in
            let connection = try PostgresConnection(url)
            try connection.execute("CREATE TABLE t (id int NOT NULL)")
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try connection.copyIn("COPY t FROM STDIN") { writer in
                    try writer.writeRow(["1"])
                    throw Abort()
                }
            }
            #expect(throws: PostgresError.self) {
                try connection.copyIn("COPY t FROM STDIN") { writer in try writer.writeRow([nil]) }
            }
            #expect(try connection.query("SELECT count(*) FROM t").value(0, 0) == "0")
        }
    }

    @Test func transactionsRollBackOnError() throws {
        try TestPostgres.withFreshDatabase { url in
            let connection = try PostgresConnection(url)
            try connection.execute("CREATE TABLE t (id int)")
            struct Fail: Error {}
            #expect(throws: Fail.self) {
                _ = try connection.withTransaction {
                    try connection.query("INSERT INTO t VALUES (1)")
                    throw Fail()
                }
            }
            _ = try connection.withTransaction { try connection.query("INSERT INTO t VALUES (2)") }
            #expect(try connection.query("SELECT array_agg(id) FROM t").value(0, 0) == "{2}")
        }
    }

    @Test func readOnlySnapshotSeesOneConsistentState() throws {
        try TestPostgres.withFreshDatabase { url in
            let reader = try PostgresConnection(url)
            let writer = try PostgresConnection(url)
            try writer.execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1)")
            try reader.withReadOnlySnapshot { snapshotID in
                #expect(!snapshotID.isEmpty)
                #expect(try reader.query("SELECT count(*) FROM t").value(0, 0) == "1")
                try writer.execute("INSERT INTO t VALUES (2)")
                #expect(try reader.query("SELECT count(*) FROM t").value(0, 0) == "1")
                let write = #expect(throws: PostgresError.self) { try reader.query("INSERT INTO t VALUES (3)") }
                #expect(write?.sqlState == "25006")
            }
            #expect(try reader.query("SELECT count(*) FROM t").value(0, 0) == "2")
        }
    }
}
