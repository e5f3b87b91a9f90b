import CutoverCore
import CutoverDemo
import CutoverSupport
import Foundation
import LegacySync
import Postgres
import TestSupport
import Testing

/// Each bad input of issue 2: a clear message, a documented exit code, and no file left behind.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIBadInputTests {
    /// Runs `snapshot` into an empty directory and checks the outcome and that the directory stays empty.
    func expectSnapshotRefused(
        source: String, table: String = "public.membership_membersyncqueue", code: Int32, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withTemporaryDirectory { directory in
            let outcome = try await CutoverBinary.run(
                ["snapshot", "--source", source, "--table", table, "--out", "\(directory)/out/s.sqlite"],
                environment: CutoverBinary.cleanEnvironment())
            #expect(outcome.exitCode == code, "\(outcome.stderr)", sourceLocation: sourceLocation)
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)", sourceLocation: sourceLocation)
            #expect(!outcome.stderr.contains(TestPostgres.password), sourceLocation: sourceLocation)
            #expect(filesIn("\(directory)/out").isEmpty, "files left behind", sourceLocation: sourceLocation)
            #expect(filesIn(directory).filter { $0 != "out" }.isEmpty, sourceLocation: sourceLocation)
        }
    }

    /// A fresh database holding the member register (unless `register` is false), a queue table made
    /// by `ddl`, and rows from `inserts`.
    func withHandMadeTable(
        _ ddl: String, _ inserts: String = "", register: Bool = true, _ body: (String) async throws -> Void
    ) async throws {
        try await TestPostgres.withFreshDatabase { url in
            let connection = try PostgresConnection(url)
            if register { try connection.execute(DemoSchema.registerDDL(engine: .postgresql)) }
            try connection.execute(ddl)
            if !inserts.isEmpty { try connection.execute(inserts) }
            try await body(url)
        }
    }

    static let handMade = """
        CREATE TABLE membership_membersyncqueue (id SERIAL PRIMARY KEY, member_id INTEGER, ssn VARCHAR(20),
          action VARCHAR(20) DEFAULT 'update', fields_changed JSONB DEFAULT '{}', created_at TIMESTAMP DEFAULT NOW(),
          synced_at TIMESTAMP, sync_status VARCHAR(20) DEFAULT 'pending', error_message TEXT, retry_count INTEGER \
          DEFAULT 0);
        """

    @Test func unreachableServer() async throws {
        try await expectSnapshotRefused(
            source: "postgresql://nobody:pw@127.0.0.1:1/none?connect_timeout=2", code: 3,
            message: "postgresql://nobody@127.0.0.1:1/none")
    }

    @Test func wrongPassword() async throws {
        try await expectSnapshotRefused(
            source:
                "postgresql://\(TestPostgres.user):not-the-password@\(TestPostgres.host):\(TestPostgres.port)/postgres",
            code: 3, message: "password authentication failed")
    }

    @Test func missingTable() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await expectSnapshotRefused(
                source: url, code: 5, message: "table public.membership_membersyncqueue does not exist")
        }
    }

    @Test func missingColumn() async throws {
        try await withHandMadeTable(Self.handMade + "ALTER TABLE membership_membersyncqueue DROP COLUMN retry_count;") {
            url in
            try await expectSnapshotRefused(source: url, code: 5, message: "column retry_count is missing")
        }
    }

    @Test func incompatibleColumnType() async throws {
        try await withHandMadeTable(
            Self.handMade
                + "ALTER TABLE membership_membersyncqueue ALTER COLUMN created_at DROP DEFAULT, ALTER COLUMN "
                + "created_at TYPE bigint USING 0;"
        ) { url in
            try await expectSnapshotRefused(source: url, code: 5, message: "column created_at has type bigint")
        }
    }

    @Test func fieldsChangedNotAnObject() async throws {
        try await withHandMadeTable(
            Self.handMade,
            "INSERT INTO membership_membersyncqueue (ssn, fields_changed, sync_status) VALUES ('1201743399', '{}', "
                + "'pending'), "
                + "('1201743399', '[\"name\"]', 'pending')"
        ) { url in
            try await expectSnapshotRefused(
                source: url, code: 4, message: "row id=2 column fields_changed: is a JSON array")
        }
    }

    @Test func nullSSNInAHandMadeTable() async throws {
        try await withHandMadeTable(
            Self.handMade, "INSERT INTO membership_membersyncqueue (ssn, sync_status) VALUES (NULL, 'pending')"
        ) { url in
            try await expectSnapshotRefused(source: url, code: 4, message: "row id=1 column ssn: is NULL")
            let status = try await CutoverBinary.run(
                ["status", "--source", url], environment: CutoverBinary.cleanEnvironment())
            #expect(status.exitCode == 4)
            #expect(status.stdout.contains("row id=1 column ssn: is NULL"))
        }
    }

    @Test func queueWithoutRegisterNamesTheMissingTablesOrSnapshotsTheQueueAlone() async throws {
        try await withHandMadeTable(
            Self.handMade, "INSERT INTO membership_membersyncqueue (ssn, sync_status) VALUES ('1201743399', 'pending')",
            register: false
        ) { url in
            try await expectSnapshotRefused(
                source: url, code: 5, message: "there is no table public.membership_comrade")
            try await withTemporaryDirectory { directory in
                let alone = try await CutoverBinary.run(
                    ["snapshot", "--source", url, "--no-register", "--out", "\(directory)/s.sqlite", "--json"])
                #expect(alone.exitCode == 0, "\(alone.stderr)")
                #expect(alone.stdout.contains("\"queue_rows\""))
                #expect(!alone.stdout.contains("\"register_members\""))
            }
        }
    }

    @Test func outputThatExistsIsRefusedWithoutForce() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await withTemporaryDirectory { directory in
                let seeded = try await CutoverBinary.run(
                    [
                        "demo", "seed", "--into", url, "--members", "50", "--queue-rows", "100", "--quiet",
                        "--no-firestore",
                    ],
                    environment: CutoverBinary.cleanEnvironment())
                #expect(seeded.exitCode == 0, "\(seeded.stderr)")
                let path = "\(directory)/s.sqlite"
                _ = FileManager.default.createFile(atPath: path, contents: Data("precious".utf8))
                let refused = try await CutoverBinary.run(["snapshot", "--source", url, "--out", path])
                #expect(refused.exitCode == 6)
                #expect(refused.stderr.contains("already exists"))
                #expect(FileManager.default.contents(atPath: path) == Data("precious".utf8))
                #expect(filesIn(directory) == ["s.sqlite"])
                let forced = try await CutoverBinary.run(["snapshot", "--source", url, "--out", path, "--force"])
                #expect(forced.exitCode == 0, "\(forced.stderr)")
            }
        }
    }

    @Test func errorsMaskTheKennitalaTheyQuote() async throws {
        try await withHandMadeTable(
            Self.handMade + "CREATE UNIQUE INDEX one_per_ssn ON membership_membersyncqueue (ssn);",
            "INSERT INTO membership_membersyncqueue (ssn, sync_status) VALUES ('0101702389', 'pending')"
        ) { url in
            // Seeding into the same table fails on the server with a detail quoting the SSN.
            let connection = try PostgresConnection(url)
            let error = #expect(throws: PostgresError.self) {
                try connection.execute(
                    "INSERT INTO membership_membersyncqueue (ssn, sync_status) VALUES ('0101702389', 'pending')")
            }
            #expect(error?.detail?.contains("0101702389") == true)
            let masked = CutoverError(postgres: error!)
            #expect(Masker().freeText(masked.description).contains("010170-****"))
            #expect(!Masker().freeText(masked.description).contains("0101702389"))
        }
    }

    @Test func usageErrorsExitWith64() async throws {
        let outcome = try await CutoverBinary.run(["status"])
        #expect(outcome.exitCode == 64)
        #expect(outcome.stderr.contains("--source"))
    }
}
