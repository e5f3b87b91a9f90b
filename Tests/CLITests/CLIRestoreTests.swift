import Foundation
import SQLite
import TestSupport
import Testing

/// `restore` through the binary.
struct CLIRestoreTests {
    @Test func restoreFromASnapshotAndRefuseANonEmptyTable() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 40, queueRows: 90).copy(into: directory, store: .none)
            _ = try await CutoverBinary.run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s.sqlite"], directory: directory)
            let restored = try await CutoverBinary.run(
                ["restore", "--snapshot", "s.sqlite", "--into", "sqlite:back.sqlite", "--json"],
                directory: directory)
            #expect(restored.exitCode == 0, "\(restored.stderr)")
            #expect(restored.stdout.contains("\"rows\": 90"))
            #expect(restored.stdout.contains("\"restored\": true"), "\(restored.stdout)")
            let refused = try await CutoverBinary.run(
                ["restore", "--snapshot", "s.sqlite", "--into", "sqlite:back.sqlite"], directory: directory)
            #expect(refused.exitCode == 6)
            #expect(refused.stderr.contains("holds 90 rows"))

            // A dry run into a file that does not exist yet rehearses in a temporary one: nothing is created.
            let rehearsed = try await CutoverBinary.run(
                ["restore", "--snapshot", "s.sqlite", "--into", "sqlite:new.sqlite", "--dry-run", "--json"],
                directory: directory)
            #expect(rehearsed.exitCode == 0, "\(rehearsed.stderr)")
            #expect(rehearsed.stdout.contains("\"dry_run\": true") && rehearsed.stdout.contains("\"rows\": 90"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/new.sqlite"))
            // Over the restored table with --replace: done, checked, rolled back; no record for retire's gate.
            try FileManager.default.removeItem(atPath: "\(directory)/cutover-out/restore")
            let before = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/back.sqlite"))
            let replaced = try await CutoverBinary.run(
                ["restore", "--snapshot", "s.sqlite", "--into", "sqlite:back.sqlite", "--replace", "--dry-run"],
                directory: directory)
            #expect(replaced.exitCode == 0, "\(replaced.stderr)")
            #expect(replaced.stdout.contains("then rolled back; nothing changed"))
            // Every captured index is listed as restored (SQLite replays its DDL whole: nothing is skipped).
            let listed = replaced.stdout.split(separator: "\n").filter { $0.hasPrefix("  index ") }
            #expect(!listed.isEmpty && listed.allSatisfy { $0.hasSuffix(": restored") }, "\(replaced.stdout)")
            #expect(!replaced.stdout.contains("skipped"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/back.sqlite")) == before)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/restore"))
        }
    }
}
