import CutoverSupport
import Foundation
import TestSupport
import Testing

/// Personal data at rest (issue 19 point 2), while a command runs and after it is stopped: staging is
/// private and beside the output, SIGINT/SIGTERM remove it and exit 130/143, a SIGKILLed run's
/// leftovers are removed by the next run, and a key file others can read gets a warning.
///
/// Each run's stderr is a pseudo-terminal, so the command prints its progress; the test waits for the
/// line that says the step has begun instead of sleeping, and pauses the command there while it looks.
struct CLIInterruptTests {
    /// A copy of a seeded legacy database and store, and a snapshot of them, made once. Each run that is
    /// stopped is paused (SIGSTOP) as soon as it says its step has begun, so the world need only be big
    /// enough that the step is still going when that line is read: the archive's last two steps take 0.3 s
    /// here, the snapshot's copy of the queue table 1.2 s (wall, load average 5). It used to be a world of its
    /// own, 4,000 members and 60,000 rows (11 s of CPU to seed and snapshot), so that the runs outlasted the
    /// test's checks; this one is CLIArchiveChunkedGzipTests' world, seeded once for both.
    // A task, not a lazily computed value: every test awaits the one seeding without holding a thread.
    static let world = Task<String, any Error> { try await makeWorld(DemoWorld(members: 300, queueRows: 20_000)) }

    /// The same, small: for the run that must finish rather than be stopped, where archiving the big world
    /// whole costs CPU and proves nothing the small one does not.
    static let smallWorld = Task<String, any Error> { try await makeWorld(DemoWorld(members: 20, queueRows: 40)) }

    static func makeWorld(_ world: DemoWorld) async throws -> String {
        let directory = NSTemporaryDirectory() + "cutover-interrupt-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Shared by the suite's tests, so no test removes it: the run does, at exit (each was tens of MB).
        RunCleanup.remove(directory: directory)
        try await world.copy(into: directory, legacy: "legacy.sqlite", store: .at("fs.sqlite"))
        let arguments = [
            "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:fs.sqlite", "--out", "snap.sqlite",
        ]
        let outcome = try await CutoverBinary.run(
            arguments, environment: CutoverBinary.cleanEnvironment(), directory: directory)
        guard outcome.exitCode == 0 else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(arguments): \(outcome.stderr)"])
        }
        return directory
    }

    /// Every file and directory under `root` with its permission bits, paths relative to `root`.
    func modes(under root: String) throws -> [(path: String, mode: Int, isDirectory: Bool)] {
        var found: [(String, Int, Bool)] = []
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            // A file listed but gone by the time it is read was a temporary one renamed into place (an atomic
            // write's `.dat.nosync…`): its contents are checked under the name it was renamed to.
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: "\(root)/\(relative)") else {
                guard FileManager.default.fileExists(atPath: "\(root)/\(relative)") else { continue }
                throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: "\(root)/\(relative)"])
            }
            found.append(
                (
                    relative, (attributes[.posixPermissions] as? Int ?? 0) & 0o777,
                    attributes[.type] as? FileAttributeType == .typeDirectory
                ))
        }
        return found
    }

    func expectOwnersAlone(_ path: String, directory: Bool = false) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o777
        #expect(mode == (directory ? 0o700 : 0o600), "\(path) is \(String(mode, radix: 8))")
    }

    func stagingDirectories(in directory: String) -> [String] {
        filesIn(directory).filter { $0.contains(".cutover-staging-") }
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func archiveCreateStagesPrivatelyBesideItsOutputAndASignalRemovesIt(
        signal: Int32, code: Int32, name: String
    ) async throws {
        let world = try await Self.world.value
        try await withTemporaryDirectory { directory in
            let run = try TerminalWatchedProcess(
                ["archive", "create", "--snapshot", "\(world)/snap.sqlite", "--out", "archive.tar.gz"],
                directory: directory)
            try #require(
                try await run.pause(at: "writing the snapshot's own tables"),
                "archive create ended early: \(run.stderr)")
            // While it runs: one staging directory beside the output, named for it and this process, and
            // everything in it the owner's alone.
            let staging = stagingDirectories(in: directory)
            #expect(staging == [".archive.tar.gz.cutover-staging-\(run.process.processIdentifier)-1"])
            let root = "\(directory)/\(staging.first ?? "missing")"
            try expectOwnersAlone(root, directory: true)
            let inside = try modes(under: root)
            #expect(inside.count >= 5, "\(inside.map(\.path))")
            for entry in inside {
                #expect(
                    entry.mode == (entry.isDirectory ? 0o700 : 0o600),
                    "\(entry.path) is \(String(entry.mode, radix: 8))")
            }
            // Looked up by name, not found in the walk: FileManager's walk of a tree that is being written
            // can stop early (the bag's next files appear under it), and once it listed no rows file.
            let bagDirectory = inside.first { $0.isDirectory && !$0.path.contains("/") }?.path ?? "missing"
            let rows = "\(root)/\(bagDirectory)/data/queue/rows.copy"
            #expect(
                FileManager.default.fileExists(atPath: rows),
                "the unmasked rows are being staged: \(inside.map(\.path))")
            if FileManager.default.fileExists(atPath: rows) { try expectOwnersAlone(rows) }

            run.send(signal)
            run.resume()
            #expect(try await run.waitForExit() == code, "\(run.stderr)")
            #expect(run.stderr.contains("stopped by \(name), removed \(staging.first ?? "")"), "\(run.stderr)")
            #expect(filesIn(directory) == [], "left behind: \(filesIn(directory))")
        }
    }

    @Test func snapshotStagesPrivatelyAndSIGTERMRemovesTheHalfWrittenFile() async throws {
        let world = try await Self.world.value
        try await withTemporaryDirectory { directory in
            let run = try TerminalWatchedProcess(
                ["snapshot", "--source", "sqlite:\(world)/legacy.sqlite", "--out", "snap.sqlite"], directory: directory)
            try #require(try await run.pause(at: "copying queue table"), "snapshot ended early: \(run.stderr)")
            let staging = stagingDirectories(in: directory)
            #expect(staging.count == 1, "\(staging)")
            for entry in staging {
                try expectOwnersAlone("\(directory)/\(entry)", directory: true)
                try expectOwnersAlone("\(directory)/\(entry)/snapshot.sqlite")
            }
            run.send(SIGTERM)
            run.resume()
            #expect(try await run.waitForExit() == 143, "\(run.stderr)")
            #expect(filesIn(directory) == [], "left behind: \(filesIn(directory))")
        }
    }

    @Test func drainJournalAndStoreWithTheirWalAndShmAreTheOwnersAloneWhileItRuns() async throws {
        let world = try await Self.world.value
        try await withTemporaryDirectory { directory in
            // The drain changes the queue and the store: its own copies.
            for file in ["legacy.sqlite", "fs.sqlite"] {
                try FileManager.default.copyItem(atPath: "\(world)/\(file)", toPath: "\(directory)/\(file)")
            }
            let run = try TerminalWatchedProcess(
                [
                    "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:fs.sqlite", "--journal",
                    "journal.sqlite",
                    "--out", "drain-out", "--include-failed", "--batch-size", "10",
                ], directory: directory)
            try #require(try await run.pause(at: "drain: "), "drain ended early: \(run.stderr)")
            let files = filesIn(directory)
            for file in [
                "journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm", "fs.sqlite-wal", "fs.sqlite-shm",
            ] {
                #expect(files.contains(file), "\(file) is not there while the drain runs: \(files)")
            }
            for file in files where file.hasPrefix("journal.sqlite") || file.hasPrefix("fs.sqlite-") {
                try expectOwnersAlone("\(directory)/\(file)")
            }
            run.send(SIGINT)
            run.resume()
            #expect(try await run.waitForExit() == 130, "\(run.stderr)")
            // The journal is the drain's resume point, not staging: it stays, still the owner's alone.
            try expectOwnersAlone("\(directory)/journal.sqlite")
        }
    }

    @Test func aSIGKILLedRunsStagingIsRemovedByTheNextRun() async throws {
        let world = try await Self.smallWorld.value
        try await withTemporaryDirectory { directory in
            // A process that has ended: its id is what a SIGKILLed run leaves in the staging name.
            let ended = Process()
            ended.executableURL = URL(fileURLWithPath: "/bin/true")
            try ended.run()
            ended.waitUntilExit()
            let leftover = ".archive.tar.gz.cutover-staging-\(ended.processIdentifier)-1"
            try FileManager.default.createDirectory(
                atPath: "\(directory)/\(leftover)/bag/data", withIntermediateDirectories: true)
            try Data("0101701234\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/\(leftover)/bag/data/rows.copy"))
            // Another output's staging, and a running process's, are not this run's to remove.
            let other = ".other.tar.gz.cutover-staging-\(ended.processIdentifier)-1"
            let alive = ".archive.tar.gz.cutover-staging-\(getpid())-1"
            for kept in [other, alive] {
                try FileManager.default.createDirectory(
                    atPath: "\(directory)/\(kept)", withIntermediateDirectories: true)
            }

            let outcome = try await CutoverBinary.run(
                ["archive", "create", "--snapshot", "\(world)/snap.sqlite", "--out", "archive.tar.gz"],
                environment: CutoverBinary.cleanEnvironment(), directory: directory)
            #expect(outcome.exitCode == 0, "\(outcome.stderr)")
            let notices = outcome.stderr.split(separator: "\n").filter { $0.contains(leftover) }
            #expect(
                notices.count == 1 && notices.allSatisfy { $0.contains("removed") && $0.contains("interrupted run") },
                "\(outcome.stderr)")
            #expect(filesIn(directory) == [other, alive, "archive.tar.gz", "archive.tar.gz.sha256"].sorted())
        }
    }

    @Test func aKeyFileOthersCanReadGetsAWarningNamingItAndChmod() async throws {
        try await withTemporaryDirectory { directory in
            let server = try ServedProcess.firestore(data: "\(directory)/fs.sqlite")
            let generated = Process()
            generated.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            generated.arguments = [
                "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                "\(directory)/key.pem",
            ]
            generated.standardError = FileHandle.nullDevice
            try generated.run()
            generated.waitUntilExit()
            try #require(generated.terminationStatus == 0, "openssl could not make a key")
            let pem = try String(contentsOfFile: "\(directory)/key.pem", encoding: .utf8)
            let key: JSONValue = [
                "type": "service_account", "client_email": "cutover@demo-cutover.iam.gserviceaccount.com",
                "private_key": .string(pem),
                "private_key_id": "k1", "token_uri": .string("\(server.url)/oauth2/token"),
            ]
            let keyFile = "\(directory)/key.json"
            #expect(
                FileManager.default.createFile(
                    atPath: keyFile, contents: Data(key.prettyText.utf8), attributes: [.posixPermissions: 0o644]))
            let seed = try await CutoverBinary.run(
                ["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "20", "--queue-rows", "40"],
                environment: CutoverBinary.cleanEnvironment(), directory: directory)
            try #require(seed.exitCode == 0, "\(seed.stderr)")
            let status = [
                "status", "--source", "sqlite:legacy.sqlite", "--firestore", server.url, "--credentials", keyFile,
            ]

            let exposed = try await CutoverBinary.run(
                status, environment: CutoverBinary.cleanEnvironment(), directory: directory)
            #expect(exposed.exitCode == 0, "\(exposed.stderr)")
            let warnings = exposed.stderr.split(separator: "\n").filter { $0.contains("can be read by others") }
            #expect(warnings.count == 1, "\(exposed.stderr)")
            #expect(
                warnings.allSatisfy { $0.contains("\(keyFile) can be read by others (mode 644): chmod 600 \(keyFile)") }
            )

            #expect(chmod(keyFile, 0o600) == 0)
            let restricted = try await CutoverBinary.run(
                status, environment: CutoverBinary.cleanEnvironment(), directory: directory)
            #expect(restricted.exitCode == 0, "\(restricted.stderr)")
            #expect(!restricted.stderr.contains("can be read by others"), "\(restricted.stderr)")
            #expect(server.stop() == 0, "firestore serve still stops gracefully on SIGTERM")
        }
    }
}
