import BagIt
import CutoverCore
import CutoverDemo
import CutoverSupport
import Digest
import Firestore
import Foundation
import LegacySync
import Postgres
import Snapshots
import TestSupport
import Testing

/// `archive create` and `archive verify`: a BagIt bag in a deterministic tar.gz.
struct ArchiveTests {
    func snapshot(_ directory: String) async throws -> String {
        let plan = seedPlan(members: 150, queueRows: 400)
        let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
        _ = try DemoSeeder(plan: plan).run(into: database)
        let store = try EmbeddedDocumentStore(path: "\(directory)/fs.sqlite")
        _ = try await DemoFirestoreSeeder(plan: plan).run(into: store)
        return try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
            from: database, firestore: store
        ).path
    }

    @Test func archivesAreValidDeterministicAndOpenWithStandardTools() async throws {
        try await withTemporaryDirectory { directory in
            let snapshot = try await snapshot(directory)
            let first = try ArchiveWriter(options: .init(snapshotPath: snapshot, outputPath: "\(directory)/a.tar.gz"))
                .run()
            var options = ArchiveWriter.Options(snapshotPath: snapshot, outputPath: "\(directory)/b.tar.gz")
            options.force = true
            let second = try ArchiveWriter(options: options).run()
            #expect(first.sha256 == second.sha256)
            #expect(first.payloadFiles >= 14)
            let attributes = try FileManager.default.attributesOfItem(atPath: first.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let report = try ArchiveVerifier(path: first.path).run()
            #expect(report.isValid, "\(report.problems)")
            #expect(report.archiveDigestMatches == true)
            #expect(try shellStatus("sha256sum -c a.tar.gz.sha256", in: directory) == 0)
            #expect(try shellStatus("tar xzf a.tar.gz", in: directory) == 0)
            let bag = "\(directory)/cutover-archive-\(first.snapshotID)"
            #expect(
                try shellStatus(
                    "sha256sum -c manifest-sha256.txt && sha512sum -c manifest-sha512.txt && sha256sum -c "
                        + "tagmanifest-sha256.txt",
                    in: bag) == 0)
            let rows = try String(contentsOfFile: "\(bag)/data/queue/rows.copy", encoding: .utf8)
            #expect(rows.split(separator: "\n").count == 400)
            // An existing output is refused without --force.
            let refused = #expect(throws: CutoverError.self) {
                try ArchiveWriter(options: .init(snapshotPath: snapshot, outputPath: "\(directory)/a.tar.gz")).run()
            }
            #expect(refused?.kind == .output)
        }
    }

    @Test func everyDamageIsFoundAndNamed() async throws {
        try await withTemporaryDirectory { directory in
            let archive = try ArchiveWriter(
                options: .init(snapshotPath: try await snapshot(directory), outputPath: "\(directory)/a.tar.gz")
            ).run()
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: archive.path)))
            var random = DemoRandom(seed: 7)
            for trial in 0..<110 {
                var damaged = original
                if trial < 100 {
                    let position = random.int(0...(original.count - 1))
                    damaged[position] ^= UInt8(random.int(1...255))
                } else {
                    damaged = Array(original.prefix(random.int(0...(original.count - 1))))
                }
                try Data(damaged).write(to: URL(fileURLWithPath: archive.path))
                let report = try ArchiveVerifier(path: archive.path).run()
                #expect(!report.isValid, "trial \(trial) went unnoticed")
                #expect(
                    report.problems.contains { $0.contains("a.tar.gz") || $0.contains("data/") || $0.contains(".txt") })
                #expect(!report.problems.contains { $0.contains("next:") }, "advice belongs after the list, not in it")
                if trial >= 100 {
                    // Files past the cut were not reached: they are not reported missing, one by one.
                    #expect(
                        !report.problems.contains {
                            $0.hasSuffix(": missing") || $0.contains("missing from the archive")
                        },
                        "trial \(trial): \(report.problems)")
                }
                if trial % 10 == 0 {
                    // Nothing is restored from a damaged archive: no table, not a row.
                    let database = try LegacyDatabaseOpener.open(
                        "sqlite:\(directory)/restore-\(trial).sqlite", create: true)
                    #expect(throws: (any Error).self) {
                        try Restorer.fromArchive(archive.path, options: .init(snapshotPath: ""), into: database)
                    }
                    #expect(
                        try !database.tableExists(schema: "public", table: "membership_membersyncqueue"),
                        "trial \(trial)")
                }
            }
            // A changed payload file inside an otherwise well-formed bag is named by its path.
            try Data(original).write(to: URL(fileURLWithPath: archive.path))
            #expect(
                try shellStatus(
                    "tar xzf a.tar.gz && printf x >> "
                        + "cutover-archive-\(archive.snapshotID)/data/register/members.ndjson && "
                        + "tar czf c.tar.gz cutover-archive-\(archive.snapshotID)", in: directory) == 0)
            let report = try ArchiveVerifier(path: "\(directory)/c.tar.gz").run()
            #expect(
                report.problems.contains(
                    "data/register/members.ndjson: sha256 does not match manifest-sha256.txt (changed)"))
            #expect(
                report.problems.contains(
                    "data/register/members.ndjson: sha512 does not match manifest-sha512.txt (changed)"))
        }
    }
}

@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct ArchivePostgresTests {
    @Test func theQueueTableRestoresWithPsqlAlone() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            _ = try DemoSeeder(plan: seedPlan(members: 80, queueRows: 300)).run(into: database)
            try await withTemporaryDirectory { directory in
                let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                    from: database)
                let archive = try ArchiveWriter(
                    options: .init(snapshotPath: snapshot.path, outputPath: "\(directory)/a.tar.gz")
                ).run()
                try TestPostgres.withFreshDatabase { target in
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/sh")
                    process.arguments = [
                        "-c",
                        "tar xzf a.tar.gz && cd cutover-archive-\(archive.snapshotID)/data/queue && "
                            + "psql -q -v ON_ERROR_STOP=1 -d '\(target)' -f restore.sql",
                    ]
                    process.currentDirectoryURL = URL(fileURLWithPath: directory)
                    try process.run()
                    process.waitUntilExit()
                    #expect(process.terminationStatus == 0)
                    let restored = try PostgresConnection(target)
                    try restored.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'")
                    let hasher = RowHasher()
                    for row in try restored.query("SELECT * FROM public.membership_membersyncqueue ORDER BY id").rows {
                        hasher.addRow(row)
                    }
                    #expect(hasher.finalize() == snapshot.manifest.table("queue_rows")?.sha256)
                    #expect(
                        try restored.query("SELECT last_value FROM public.membership_membersyncqueue_id_seq").value(
                            0, 0) == "300")
                }
            }
        }
    }
}

struct ArchiveExtractTests {
    @Test func theSnapshotRebuildsWithIdenticalHashesAndRestoresFromTheArchive() async throws {
        try await withTemporaryDirectory { directory in
            let plan = seedPlan(members: 120, queueRows: 350, flavour: .handwritten)
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            _ = try DemoSeeder(plan: plan).run(into: database)
            let store = try EmbeddedDocumentStore(path: "\(directory)/fs.sqlite")
            _ = try await DemoFirestoreSeeder(plan: plan).run(into: store)
            let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                from: database, firestore: store)
            let archive = try ArchiveWriter(
                options: .init(snapshotPath: snapshot.path, outputPath: "\(directory)/a.tar.gz")
            ).run()

            let rebuilt = try ArchiveExtractor(archivePath: archive.path).rebuildSnapshot(at: "\(directory)/r.sqlite")
            #expect(rebuilt.manifest.tables == snapshot.manifest.tables.sorted { $0.name < $1.name })
            #expect(rebuilt.manifest.snapshotID == snapshot.manifest.snapshotID)

            let target = try LegacyDatabaseOpener.open("sqlite:\(directory)/back.sqlite", create: true)
            let restored = try Restorer.fromArchive(archive.path, options: .init(snapshotPath: ""), into: target)
            #expect(restored.sha256 == snapshot.manifest.table("queue_rows")?.sha256)

            // A damaged archive extracts nothing.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: archive.path))
            bytes[bytes.count / 3] ^= 0x40
            try bytes.write(to: URL(fileURLWithPath: archive.path))
            #expect(throws: CutoverError.self) {
                try BagExtractor(archivePath: archive.path).extract(to: "\(directory)/x")
            }
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/x"))
        }
    }
}
