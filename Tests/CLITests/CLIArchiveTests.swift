import Foundation
import SQLite
import TestSupport
import Testing

/// `archive create`, `verify`, `list` and `extract`, and restoring from an archive, through the binary.
struct CLIArchiveTests {
    @Test func archiveCreateAndVerify() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 60, queueRows: 120).copy(into: directory)
            _ = try await CutoverBinary.run(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                    "--out", "s.sqlite",
                ], directory: directory)
            let created = try await CutoverBinary.run(
                ["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz"], directory: directory)
            #expect(created.exitCode == 0, "\(created.stderr)")
            let verified = try await CutoverBinary.run(["archive", "verify", "a.tar.gz"], directory: directory)
            #expect(verified.exitCode == 0)
            #expect(verified.stdout.contains("valid"))
            var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/a.tar.gz"))
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: "\(directory)/a.tar.gz"))
            let damaged = try await CutoverBinary.run(
                ["archive", "verify", "a.tar.gz", "--json"], directory: directory)
            #expect(damaged.exitCode == 4)
            #expect(damaged.stdout.contains("\"valid\": false"))
        }
    }
}

struct CLIArchiveExtractTests {
    @Test func listExtractAndRestoreFromAnArchive() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 40, queueRows: 90).copy(into: directory)
            _ = try await CutoverBinary.run(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                    "--out", "s.sqlite",
                ], directory: directory)
            _ = try await CutoverBinary.run(
                ["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz"], directory: directory)
            let list = try await CutoverBinary.run(["archive", "list", "a.tar.gz"], directory: directory)
            #expect(list.stdout.contains("data/queue/rows.copy"))
            #expect(list.stdout.contains("manifest-sha512.txt"))
            let rebuilt = try await CutoverBinary.run(
                ["archive", "extract", "a.tar.gz", "--as-snapshot", "r.sqlite"], directory: directory)
            #expect(rebuilt.exitCode == 0, "\(rebuilt.stderr)")
            let status = try await CutoverBinary.run(
                ["status", "--source", "r.sqlite", "--json"], directory: directory)
            #expect(status.stdout.contains("\"total_rows\": 90"))
            let restored = try await CutoverBinary.run(
                [
                    "restore", "--archive", "a.tar.gz", "--into", "sqlite:back.sqlite",
                    "--firestore", "embedded:back-firestore.sqlite",
                ], directory: directory)
            #expect(restored.exitCode == 0, "\(restored.stderr)")
            #expect(restored.stdout.contains("content hash matches the snapshot"))
            #expect(restored.stdout.contains("Firestore: members"))
            let both = try await CutoverBinary.run(
                ["restore", "--archive", "a.tar.gz", "--snapshot", "s.sqlite", "--into", "sqlite:x.sqlite"],
                directory: directory)
            #expect(both.exitCode == 64)
        }
    }
}
