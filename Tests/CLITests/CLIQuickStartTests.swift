import Foundation
import SQLite
import TestSupport
import Testing

/// The README's main job on the embedded default: seed, status and snapshot on SQLite.
struct CLIQuickStartTests {
    @Test func seedStatusSnapshotOnSQLite() throws {
        try withTemporaryDirectory { directory in
            let seed = try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite"], directory: directory)
            #expect(seed.exitCode == 0, "\(seed.stderr)")
            #expect(seed.stdout.contains("last successful nightly run completed 2025-11-24T03:30:07.412Z"))

            let status = try CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--last-run", "2025-11-24T03:30:07.412Z", "--json"],
                directory: directory)
            #expect(status.exitCode == 0, "\(status.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(json["total_rows"] as? Int == 3_000)
            let orphans = try #require(json["orphan_deletes"] as? [String: Any])
            #expect(orphans["count"] as? Int == 3)
            // Masked by default: the orphan's kennitala shows only its birth date.
            #expect(status.stdout.contains("010309-****"))
            #expect(!status.stdout.contains("0103097930"))
            let unmasked = try CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--unmask", "--json"], directory: directory)
            #expect(unmasked.stdout.contains("0103097930"))

            let snapshot = try CutoverBinary.run(["snapshot", "--source", "sqlite:legacy.sqlite"], directory: directory)
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            let files = filesIn("\(directory)/Snapshots")
            #expect(files.count == 1 && files[0].hasPrefix("snapshot-") && files[0].hasSuffix(".sqlite"))

            let fromSnapshot = try CutoverBinary.run(
                ["status", "--source", "Snapshots/\(files[0])", "--last-run", "2025-11-24T03:30:07.412Z"],
                directory: directory)
            #expect(fromSnapshot.exitCode == 0, "\(fromSnapshot.stderr)")
            #expect(fromSnapshot.stdout.contains("Orphan deletes 3"))
            let asSQLite = try CutoverBinary.run(["status", "--source", "sqlite:Snapshots/\(files[0])"], directory: directory)
            #expect(asSQLite.exitCode == 0, "\(asSQLite.stderr)")
            #expect(asSQLite.stdout.contains("in snapshot Snapshots/"))
        }
    }

    @Test func dryRunsWriteNothing() throws {
        try withTemporaryDirectory { directory in
            let seed = try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--dry-run"], directory: directory)
            #expect(seed.exitCode == 0)
            #expect(seed.stdout.contains("would create"))
            #expect(filesIn(directory).isEmpty)
            _ = try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "20",
                                       "--queue-rows", "40"], directory: directory)
            let snapshot = try CutoverBinary.run(["snapshot", "--source", "sqlite:legacy.sqlite", "--dry-run"], directory: directory)
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            #expect(snapshot.stdout.contains("would snapshot"))
            #expect(filesIn(directory).filter { !$0.hasPrefix("legacy-firestore.sqlite") } == ["legacy.sqlite"])
        }
    }

    @Test func helpTeachesAndListsExitCodes() throws {
        let help = try CutoverBinary.run(["--help"])
        #expect(help.exitCode == 0)
        for word in ["status", "snapshot", "demo", "Exit codes", "64  usage error"] { #expect(help.stdout.contains(word)) }
        let snapshotHelp = try CutoverBinary.run(["snapshot", "--help"])
        #expect(snapshotHelp.stdout.contains("--allow-invalid"))
        #expect(snapshotHelp.stdout.contains("Examples:"))
    }
}

struct CLIArchiveTests {
    @Test func archiveCreateAndVerify() throws {
        try withTemporaryDirectory { directory in
            _ = try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "60", "--queue-rows", "120"],
                                      directory: directory)
            _ = try CutoverBinary.run(["snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                                       "--out", "s.sqlite"], directory: directory)
            let created = try CutoverBinary.run(["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz"], directory: directory)
            #expect(created.exitCode == 0, "\(created.stderr)")
            let verified = try CutoverBinary.run(["archive", "verify", "a.tar.gz"], directory: directory)
            #expect(verified.exitCode == 0)
            #expect(verified.stdout.contains("valid"))
            var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/a.tar.gz"))
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: "\(directory)/a.tar.gz"))
            let damaged = try CutoverBinary.run(["archive", "verify", "a.tar.gz", "--json"], directory: directory)
            #expect(damaged.exitCode == 4)
            #expect(damaged.stdout.contains("\"valid\": false"))
        }
    }
}

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

struct CLIArchiveExtractTests {
    @Test func listExtractAndRestoreFromAnArchive() throws {
        try withTemporaryDirectory { directory in
            _ = try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "40", "--queue-rows", "90"],
                                      directory: directory)
            _ = try CutoverBinary.run(["snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                                       "--out", "s.sqlite"], directory: directory)
            _ = try CutoverBinary.run(["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz"], directory: directory)
            let list = try CutoverBinary.run(["archive", "list", "a.tar.gz"], directory: directory)
            #expect(list.stdout.contains("data/queue/rows.copy"))
            #expect(list.stdout.contains("manifest-sha512.txt"))
            let rebuilt = try CutoverBinary.run(["archive", "extract", "a.tar.gz", "--as-snapshot", "r.sqlite"], directory: directory)
            #expect(rebuilt.exitCode == 0, "\(rebuilt.stderr)")
            let status = try CutoverBinary.run(["status", "--source", "r.sqlite", "--json"], directory: directory)
            #expect(status.stdout.contains("\"total_rows\": 90"))
            let restored = try CutoverBinary.run(["restore", "--archive", "a.tar.gz", "--into", "sqlite:back.sqlite",
                                                  "--firestore", "embedded:back-firestore.sqlite"], directory: directory)
            #expect(restored.exitCode == 0, "\(restored.stderr)")
            #expect(restored.stdout.contains("content hash matches the snapshot"))
            #expect(restored.stdout.contains("Firestore: members"))
            let both = try CutoverBinary.run(["restore", "--archive", "a.tar.gz", "--snapshot", "s.sqlite", "--into", "sqlite:x.sqlite"],
                                             directory: directory)
            #expect(both.exitCode == 64)
        }
    }
}
