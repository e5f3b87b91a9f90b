import Foundation
import TestSupport
import Testing

/// An archive of an SQLite source, restored with `tar` and the `sqlite3` program alone — no cutover — as
/// the bag's README says, and compared with the source row by row, every column with its storage class.
struct CLIArchiveSQLiteRestoreTests {
    static let table = "membership_membersyncqueue"

    @Test(arguments: ["django", "handwritten"])
    func sqlite3AloneRebuildsTheQueueTableFromTheArchive(flavour: String) async throws {
        try await withTemporaryDirectory { directory in
            let seeded = try await CutoverBinary.run(
                [
                    "demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "40", "--queue-rows", "150",
                    "--flavour", flavour, "--no-firestore",
                ], directory: directory)
            try #require(seeded.exitCode == 0, "\(seeded.stderr)")
            // Values a careless script would mangle: a quote, a newline, a backslash, a tab, a NULL where the
            // hand-written table allows one, and an empty string beside it.
            let nullable = flavour == "handwritten" ? "NULL" : "''"
            let planted = try Self.shell(
                """
                sqlite3 legacy.sqlite "UPDATE \(Self.table) SET error_message = 'it''s' || char(10) || 'a \\\\ b' \
                || char(9) || 'c' WHERE id = 3; UPDATE \(Self.table) SET error_message = \(nullable) WHERE id = 4"
                """, in: directory)
            try #require(planted.status == 0, "\(planted.output)")

            for step in [
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--no-register", "--out", "s.sqlite"],
                ["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz"],
            ] {
                let outcome = try await CutoverBinary.run(step, directory: directory)
                try #require(outcome.exitCode == 0, "\(step): \(outcome.stderr)")
            }

            // The bag's README, step by step: unpack, check, rebuild into a new file, count.
            let restored = try Self.shell(
                """
                set -e
                mkdir unpacked && cd unpacked && tar xzf ../a.tar.gz && cd cutover-archive-*
                sha256sum -c --quiet manifest-sha256.txt
                grep -q 'sqlite3 DATABASE < data/queue/restore-sqlite.sql' data/README.txt
                sqlite3 ../../rebuilt.sqlite < data/queue/restore-sqlite.sql
                """, in: directory)
            try #require(restored.status == 0, "\(restored.output)")

            // Every row, every column, as `quote()` shows it (so 42 and '42' differ), in id order; and the
            // table's DDL and indexes as SQLite stored them.
            let rows = "SELECT * FROM \(Self.table) ORDER BY id"
            let schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = '\(Self.table)' ORDER BY name"
            for query in [rows, schema] {
                let source = try Self.shell("sqlite3 -cmd '.mode quote' legacy.sqlite \"\(query)\"", in: directory)
                let rebuilt = try Self.shell("sqlite3 -cmd '.mode quote' rebuilt.sqlite \"\(query)\"", in: directory)
                #expect(source.status == 0 && rebuilt.status == 0, "\(source.output)\(rebuilt.output)")
                #expect(source.output.split(separator: "\n").count > (query == rows ? 150 : 1))
                #expect(rebuilt.output == source.output, "\(query) differs after the sqlite3 restore")
            }
            let planted3 = try Self.shell(
                "sqlite3 rebuilt.sqlite \"SELECT typeof(error_message), hex(error_message) FROM \(Self.table) "
                    + "WHERE id IN (3, 4) ORDER BY id\"", in: directory)
            let hex = Array("it's\na \\ b\tc".utf8).map { String(format: "%02X", $0) }.joined()
            #expect(planted3.output == "text|\(hex)\n" + (flavour == "handwritten" ? "null|\n" : "text|\n"))

            // A second run of the script changes nothing: the table exists, sqlite3 stops, the file is as it was.
            let again = try Self.shell(
                "cd unpacked/cutover-archive-* && sqlite3 ../../rebuilt.sqlite < data/queue/restore-sqlite.sql",
                in: directory)
            #expect(again.status != 0)
            let count = try Self.shell("sqlite3 rebuilt.sqlite 'SELECT count(*) FROM \(Self.table)'", in: directory)
            #expect(count.output == "150\n")
        }
    }

    @Test func anSQLiteArchiveWithItsScriptStaysDeterministicAndVerifies() async throws {
        try await withTemporaryDirectory { directory in
            _ = try await CutoverBinary.run(
                ["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "20", "--queue-rows", "30"],
                directory: directory)
            _ = try await CutoverBinary.run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--no-register", "--out", "s.sqlite"],
                directory: directory)
            let first = try await CutoverBinary.run(
                ["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz"], directory: directory)
            let second = try await CutoverBinary.run(
                ["archive", "create", "--snapshot", "s.sqlite", "--out", "b.tar.gz"], directory: directory)
            #expect(first.exitCode == 0 && second.exitCode == 0)
            // Deterministic still: the script is part of the bag, and the bag's bytes depend on the snapshot only.
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/a.tar.gz"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/b.tar.gz"))
            #expect(a == b)
            let listed = try await CutoverBinary.run(["archive", "list", "a.tar.gz"], directory: directory)
            #expect(listed.stdout.contains("data/queue/restore-sqlite.sql"))
            #expect(!listed.stdout.contains("data/queue/restore.sql"), "psql's script is for PostgreSQL sources")
            let verified = try await CutoverBinary.run(["archive", "verify", "a.tar.gz"], directory: directory)
            #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        }
    }

    /// Runs `script` with bash in `directory`; standard output and error together.
    static func shell(_ script: String, in directory: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let captured = try ProcessOutput.run(process)
        return (
            captured.exitCode,
            String(decoding: captured.stdout, as: UTF8.self) + String(decoding: captured.stderr, as: UTF8.self)
        )
    }
}
