import CutoverCore
import CutoverSupport
import Foundation
import SQLite
import Snapshots
import TestSupport
import Testing

/// `status` of a snapshot (issue 18, point 8): the queue as it was when read, so "as of" is the
/// snapshot's read time, not the time status ran.
struct CLISnapshotStatusTests {
    @Test func aSnapshotsStatusIsAsOfItsReadTime() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 40, queueRows: 90).copy(into: directory, store: .none)
            // Two 9999 placeholder rows, as Django's test members leave them.
            let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readWrite)
            try legacy.execute(
                "UPDATE membership_membersyncqueue SET ssn = '9999' || substr(ssn, 5) WHERE id IN (1, 2)")
            legacy.close()
            #expect(
                try await CutoverBinary.run(
                    ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s.sqlite"], directory: directory
                )
                .exitCode == 0)
            let read = try #require(try SnapshotFile(path: "\(directory)/s.sqlite").manifest.values["created_at"])
            let status = try await CutoverBinary.run(
                ["status", "--source", "s.sqlite", "--json"], directory: directory)
            let json = try #require(try JSONValue(parsing: status.stdout)["result"])
            #expect(
                json.objectValue?["as_of"]?.stringValue == Timestamp(parsing: read)?.iso8601,
                "\(status.stdout) \(status.stderr)")
            let text = try await CutoverBinary.run(["status", "--source", "s.sqlite"], directory: directory)
            #expect(text.stdout.contains("as of \(Timestamp(parsing: read)?.iso8601 ?? "?")"), "\(text.stdout)")

            // The check-digit warning counts the 9999 placeholder rows it does not check, instead of leaving
            // them out silently.
            let placeholders = try #require(json.objectValue?["placeholder_9999_rows"]?.integerValue)
            #expect(placeholders == 2)
            let warning = json.objectValue?["check_digit_warnings"]?.objectValue
            #expect(warning?["placeholder_9999_rows_not_checked"]?.integerValue == placeholders)
            #expect(
                text.stdout.contains("; \(placeholders) 9999 placeholder rows not checked (counted separately)"),
                "\(text.stdout)")
        }
    }
}
