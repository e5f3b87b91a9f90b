import BagIt
import CutoverCore
import CutoverDemo
import CutoverSupport
import Foundation
import LegacySync
import TestSupport
import Testing

/// `snapshot --archive`: one read of PostgreSQL makes the snapshot and the archive, and the archive is
/// byte for byte what `archive create` makes of that snapshot.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct OnePassArchiveTests {
    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func oneReadMakesTheArchiveThatArchiveCreateMakes() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            // About 3 MB of COPY text: several 1 MiB members inside rows.copy.
            _ = try DemoSeeder(plan: seedPlan(members: 300, queueRows: 20_000)).run(into: database)
            // Values PostgreSQL escapes in COPY text: some as the archive's writer does (tab, newline, CR,
            // backslash), some not (\b, \f, \v): those rows are re-escaped, the others taken verbatim.
            try database.execute(
                "ALTER TABLE public.membership_membersyncqueue ADD COLUMN note text; "
                    + "UPDATE public.membership_membersyncqueue SET note = E'a\\tb\\nc\\rd\\\\e\\bf\\fg\\x0bh' "
                    + "WHERE id % 7 = 0; "
                    + "UPDATE public.membership_membersyncqueue SET note = 'plain' WHERE id % 7 = 1")
            try await withTemporaryDirectory { directory in
                var options = SnapshotWriter.Options(outputPath: "\(directory)/s.sqlite")
                options.archivePath = "\(directory)/one.tar.gz"
                let snapshot = try await SnapshotWriter(options: options).run(from: database)
                let onePass = try #require(snapshot.archive)
                let created = try ArchiveWriter(
                    options: .init(snapshotPath: snapshot.path, outputPath: "\(directory)/two.tar.gz")
                ).run()
                #expect(onePass.sha256 == created.sha256)
                #expect(try bytes(onePass.path) == bytes(created.path), "byte for byte what archive create writes")
                #expect(onePass.snapshotID == snapshot.manifest.snapshotID)

                let attributes = try FileManager.default.attributesOfItem(atPath: onePass.path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
                // Read back through zlib, with both manifests and the sidecar checked.
                let report = try ArchiveVerifier(path: onePass.path).run()
                #expect(report.isValid, "\(report.problems)")
                #expect(report.archiveDigestMatches == true)
                #expect(try shellStatus("sha256sum -c one.tar.gz.sha256", in: directory) == 0)
                #expect(try shellStatus("gzip -t one.tar.gz && tar tzf one.tar.gz", in: directory) == 0)
                #expect(try shellStatus("tar xzf one.tar.gz", in: directory) == 0)
                let bag = "\(directory)/cutover-archive-\(onePass.snapshotID)"
                #expect(
                    try shellStatus("sha256sum -c manifest-sha256.txt && sha512sum -c manifest-sha512.txt", in: bag)
                        == 0)
                // rows.copy is what PostgreSQL itself writes for the table, but for the escapes the
                // archive writes as bytes (\b, \f, \v): those rows hold the same values either way.
                #expect(
                    try shellStatus(
                        "PGOPTIONS='-c TimeZone=UTC -c DateStyle=ISO,YMD' psql -X -q -d '\(url)' "
                            + "-c \"COPY (SELECT * FROM public.membership_membersyncqueue ORDER BY id) TO STDOUT\" "
                            + "| sed -e 's/\\\\b/\\x08/g' -e 's/\\\\f/\\x0c/g' -e 's/\\\\v/\\x0b/g' "
                            + "| cmp - \(bag)/data/queue/rows.copy",
                        in: directory) == 0)
            }
        }
    }

    @Test func anExistingArchiveIsRefusedBeforeAnythingIsRead() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            _ = try DemoSeeder(plan: seedPlan(members: 50, queueRows: 200)).run(into: database)
            try await withTemporaryDirectory { directory in
                try "keep".write(toFile: "\(directory)/a.tar.gz", atomically: true, encoding: .utf8)
                var options = SnapshotWriter.Options(outputPath: "\(directory)/s.sqlite")
                options.archivePath = "\(directory)/a.tar.gz"
                let refused = await #expect(throws: CutoverError.self) {
                    try await SnapshotWriter(options: options).run(from: database)
                }
                #expect(refused?.kind == .output)
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["a.tar.gz"])
                #expect(try String(contentsOfFile: "\(directory)/a.tar.gz", encoding: .utf8) == "keep")
            }
        }
    }
}
