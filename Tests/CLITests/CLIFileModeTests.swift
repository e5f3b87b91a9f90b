import Foundation
import TestSupport
import Testing

/// Personal data at rest is its owner's alone (issue 19, files at rest): every file and directory the
/// road creates — snapshots, journals, ledgers, stores with their -wal/-shm, reports, the archive and
/// its sidecar — is 0600 / 0700 even under a permissive umask, because the tool sets its own.
struct CLIFileModeTests {
    @Test func everyFileTheRoadCreatesIsTheOwnersAlone() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String], expecting codes: Set<Int32> = [0]) async throws {
                let outcome = try await CutoverBinary.run(
                    arguments, environment: CutoverBinary.cleanEnvironment(), directory: directory)
                #expect(codes.contains(outcome.exitCode), "\(arguments): \(outcome.stderr)")
            }
            let previous = umask(0o022)  // a permissive caller: files would be 0644 without the tool's own umask
            defer { umask(previous) }
            // The folder is the caller's (made here, 0755); everything inside it is the tool's.
            try FileManager.default.createDirectory(atPath: "\(directory)/out", withIntermediateDirectories: true)
            let source = ["--source", "sqlite:out/legacy.sqlite"]
            try await run([
                "demo", "seed", "--into", "sqlite:out/legacy.sqlite", "--firestore", "embedded:out/fs.sqlite",
                "--members", "120", "--queue-rows", "400",
            ])
            try await run(
                ["snapshot"] + source + [
                    "--firestore", "embedded:out/fs.sqlite", "--out", "out/snap.sqlite",
                    "--ledger", "out/ledger.sqlite",
                ])
            try await run(
                ["parity", "replay", "--snapshot", "out/snap.sqlite", "--out", "out/parity"], expecting: [0, 10])
            try await run(
                ["drain"] + source + [
                    "--target", "embedded:out/fs.sqlite", "--journal", "out/journal.sqlite",
                    "--out", "out/drain", "--include-failed",
                ])
            try await run(["archive", "create", "--snapshot", "out/snap.sqlite", "--out", "out/archive.tar.gz"])
            var checked = 0
            let root = "\(directory)/out"
            let walker = FileManager.default.enumerator(atPath: root)
            while let relative = walker?.nextObject() as? String {
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(root)/\(relative)")
                let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o777
                let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
                #expect(mode & 0o077 == 0, "\(relative) is \(String(mode, radix: 8))")
                #expect(mode == (isDirectory ? 0o700 : 0o600) || mode & 0o077 == 0, "\(relative)")
                checked += 1
            }
            #expect(checked >= 12, "only \(checked) files were created")
        }
    }
}
