import Foundation
import SQLite
import TestSupport
import Testing

/// `restore` through the binary.
struct CLIRestoreTests {
    @Test func restoreFromASnapshotAndRefuseANonEmptyTable() throws {
        try withTemporaryDirectory { directory in
            _ = try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "40", "--queue-rows", "90",
                                       "--no-firestore"], directory: directory)
            _ = try CutoverBinary.run(["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s.sqlite"], directory: directory)
            let restored = try CutoverBinary.run(["restore", "--snapshot", "s.sqlite", "--into", "sqlite:back.sqlite", "--json"],
                                                 directory: directory)
            #expect(restored.exitCode == 0, "\(restored.stderr)")
            #expect(restored.stdout.contains("\"rows\": 90"))
            let refused = try CutoverBinary.run(["restore", "--snapshot", "s.sqlite", "--into", "sqlite:back.sqlite"], directory: directory)
            #expect(refused.exitCode == 6)
            #expect(refused.stderr.contains("holds 90 rows"))
        }
    }
}
