import CutoverCore
import CutoverSupport
import Foundation
import TestSupport
import Testing

/// `status` of a snapshot (issue 18, point 8): the queue as it was when read, so "as of" is the
/// snapshot's read time, not the time status ran.
struct CLISnapshotStatusTests {
    @Test func aSnapshotsStatusIsAsOfItsReadTime() throws {
        try withTemporaryDirectory { directory in
            _ = try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "40", "--queue-rows", "90",
                                       "--no-firestore"], directory: directory)
            #expect(try CutoverBinary.run(["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s.sqlite"], directory: directory)
                .exitCode == 0)
            let read = try #require(try SnapshotFile(path: "\(directory)/s.sqlite").manifest.values["created_at"])
            let status = try CutoverBinary.run(["status", "--source", "s.sqlite", "--json"], directory: directory)
            let json = try JSONValue(parsing: status.stdout)
            #expect(json.objectValue?["as_of"]?.stringValue == Timestamp(parsing: read)?.iso8601, "\(status.stdout) \(status.stderr)")
            let text = try CutoverBinary.run(["status", "--source", "s.sqlite"], directory: directory)
            #expect(text.stdout.contains("as of \(Timestamp(parsing: read)?.iso8601 ?? "?")"), "\(text.stdout)")
        }
    }
}
