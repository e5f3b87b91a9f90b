import Foundation
import TestSupport
import Testing

/// `archive create` writes libdeflate's chunked multi-member gzip: readable by `gzip` and `tar`,
/// verified by `archive verify`, and the same snapshot gives the same bytes.
struct CLIArchiveChunkedGzipTests {
    /// libdeflate's member header at levels 2–7 (cutover writes 5): no name, MTIME 0, XFL 0, OS 255.
    static let memberHeader: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]

    static func members(in bytes: [UInt8]) -> Int {
        var count = 0
        var index = 0
        while index + memberHeader.count <= bytes.count {
            if bytes[index] == 0x1f && Array(bytes[index..<index + memberHeader.count]) == memberHeader { count += 1 }
            index += 1
        }
        return count
    }

    /// About 3 MB of COPY text, several 1 MiB chunks: seeded once for the run (about 2 s of CPU), and each
    /// test works on its own copy.
    func copyWorld(into directory: String) async throws {
        try await DemoWorld(members: 300, queueRows: 20_000).copy(into: directory)
    }

    static func tool(_ path: String, _ arguments: [String], in directory: String) throws -> ProcessOutput.Captured {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        return try ProcessOutput.run(process)
    }

    @Test func multiMemberArchiveIsReadByGzipTarAndVerify() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory)
            _ = try await CutoverBinary.run(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                    "--out", "s.sqlite",
                ], directory: directory)
            for name in ["a.tar.gz", "b.tar.gz"] {
                let created = try await CutoverBinary.run(
                    ["archive", "create", "--snapshot", "s.sqlite", "--out", name], directory: directory)
                #expect(created.exitCode == 0, "\(created.stderr)")
            }
            let first = Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/a.tar.gz")))
            let second = Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/b.tar.gz")))
            #expect(first == second, "same snapshot, same bytes")
            #expect(Self.members(in: first) > 2, "one gzip member per chunk")
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/a.tar.gz")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            let tested = try Self.tool("/bin/gzip", ["-t", "a.tar.gz"], in: directory)
            #expect(tested.exitCode == 0, "\(String(decoding: tested.stderr, as: UTF8.self))")
            let listed = try Self.tool("/bin/tar", ["tzf", "a.tar.gz"], in: directory)
            #expect(listed.exitCode == 0, "\(String(decoding: listed.stderr, as: UTF8.self))")
            let names = String(decoding: listed.stdout, as: UTF8.self)
            for name in ["bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt", "data/queue/rows.copy"] {
                #expect(names.contains(name), "tar lists \(name)")
            }
            let verified = try await CutoverBinary.run(["archive", "verify", "a.tar.gz"], directory: directory)
            #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.contains("valid"))
        }
    }

    @Test func snapshotWithArchiveWritesWhatArchiveCreateWrites() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory)
            let snapshot = try await CutoverBinary.run(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                    "--out", "s.sqlite", "--archive", "one.tar.gz",
                ], directory: directory)
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            #expect(snapshot.stdout.contains("archive  one.tar.gz"))
            let created = try await CutoverBinary.run(
                ["archive", "create", "--snapshot", "s.sqlite", "--out", "two.tar.gz"], directory: directory)
            #expect(created.exitCode == 0, "\(created.stderr)")
            let onePass = Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/one.tar.gz")))
            let fromSnapshot = Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/two.tar.gz")))
            #expect(onePass == fromSnapshot, "one read gives the bytes archive create gives")
            #expect(Self.members(in: onePass) > 2)
            let tested = try Self.tool("/bin/gzip", ["-t", "one.tar.gz"], in: directory)
            #expect(tested.exitCode == 0, "\(String(decoding: tested.stderr, as: UTF8.self))")
            let listed = try Self.tool("/bin/tar", ["tzf", "one.tar.gz"], in: directory)
            #expect(String(decoding: listed.stdout, as: UTF8.self).contains("data/queue/rows.copy"))
            let verified = try await CutoverBinary.run(["archive", "verify", "one.tar.gz"], directory: directory)
            #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")

            // An existing archive is refused before anything is read, and nothing new is left.
            let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            let refused = try await CutoverBinary.run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "t.sqlite", "--archive", "one.tar.gz"],
                directory: directory)
            #expect(refused.exitCode != 0)
            #expect(refused.stderr.contains("one.tar.gz already exists"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == before)
        }
    }
}
