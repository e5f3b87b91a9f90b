import Foundation
import TestSupport
import Testing

/// Progress and logs as an operator sees them: a heartbeat with a percentage in a log file, one line
/// redrawn on a terminal, nothing on standard output, and the phases, files and retries in the log.
// Not serialized: every test works on its own copy of the world in a directory of its own, and what the
// timing checks allow only grows with load (more lines in a longer run; the default interval's cap is
// per second run). Serialized, this suite's tests ran one after the other for half a minute on their own.
struct CLIProgressAndLogTests {
    /// A seeded legacy database and store, large enough that a drain takes a while: for the tests that count
    /// progress lines over a run's length. Its drain has 1,378 unresolved rows to go through, as many as the
    /// world of 2,000 members this suite used to seed for itself (1,393), for about a third of the CPU (0.8 s
    /// against 2.1 s: fewer members' documents to write). It is CLIArchiveChunkedGzipTests' world, seeded once
    /// for the run.
    static let world = DemoWorld(members: 300, queueRows: 20_000)

    /// A small one, for the tests whose runs only have to start (the first progress line comes at once) or
    /// log their phases, where the big world's drain and snapshots cost 5 s of CPU for nothing more.
    static let smallWorld = DemoWorld(members: 150, queueRows: 600)

    /// A fresh copy of a world's database and store, each test's own: a drain changes both.
    func copyWorld(into directory: String, small: Bool = false) async throws {
        try await (small ? Self.smallWorld : Self.world).copy(into: directory, store: .at("fs.sqlite"))
    }

    static let drain = [
        "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:fs.sqlite", "--journal", "journal.sqlite",
        "--out", "drain-out", "--include-failed", "--batch-size", "20",
    ]

    /// Runs the binary with standard error sent to a file, as `cutover … 2>err.log` does.
    func runWithStderrInAFile(
        _ arguments: [String], directory: String
    ) async throws -> (code: Int32, out: String, err: String) {
        let errorPath = "\(directory)/err.log"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let errorFile = try #require(FileHandle(forWritingAtPath: errorPath))
        let outPath = "\(directory)/out.txt"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let outFile = try #require(FileHandle(forWritingAtPath: outPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
        process.arguments = arguments
        process.environment = CutoverBinary.cleanEnvironment()
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = outFile
        process.standardError = errorFile
        try await ChildProcessSlots.waitingForChild {
            try process.run()
            process.waitUntilExit()
        }
        try errorFile.close()
        try outFile.close()
        return (
            process.terminationStatus, try String(contentsOfFile: outPath, encoding: .utf8),
            try String(contentsOfFile: errorPath, encoding: .utf8)
        )
    }

    /// The acceptance test: off a terminal, progress is a plain line every interval, with a percentage
    /// (the interval shortened from its 5 s default so a short drain shows several).
    @Test func aDrainWithStderrInAFileWritesPeriodicLinesWithAPercentage() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory)
            let run = try await runWithStderrInAFile(
                Self.drain + ["--progress-interval", "0.05"], directory: directory)
            #expect(run.code == 0, "\(run.err)")
            let lines = run.err.split(separator: "\n").filter { $0.hasPrefix("… drain: ") }
            #expect(lines.count >= 3, "\(run.err)")
            #expect(!run.err.contains("\r") && !run.err.contains("\u{1B}"), "no terminal control in a file")
            let percentages = lines.compactMap { line -> Int? in
                guard let match = line.firstMatch(of: /(\d+)%/) else { return nil }
                return Int(match.1)
            }
            #expect(percentages.count == lines.count, "every line has a percentage: \(lines)")
            #expect(percentages == percentages.sorted(), "\(percentages)")
            #expect(lines.allSatisfy { $0.contains("rows/s") && $0.contains("ETA") }, "\(lines)")
            #expect(!run.out.contains("ETA") && !run.out.contains("rows/s"), "progress never on stdout")
        }
    }

    /// The default interval holds: a short drain off a terminal writes its first line, not one per batch.
    @Test func theDefaultIntervalKeepsAShortRunToAFewLines() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory)
            let started = Date()
            let run = try await runWithStderrInAFile(Self.drain, directory: directory)
            let seconds = Date().timeIntervalSince(started)
            #expect(run.code == 0, "\(run.err)")
            let lines = run.err.split(separator: "\n").filter { $0.hasPrefix("… drain: ") }
            // The first update at once, then one per 5 s at most; a line per batch would be hundreds.
            #expect(lines.count >= 1 && lines.count <= Int(seconds / 5) + 1, "\(seconds) s: \(run.err)")
        }
    }

    @Test func quietAndProgressNoneWriteNoProgressAndJSONKeepsStdoutClean() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory, small: true)
            let quiet = try await runWithStderrInAFile(
                Self.drain + ["-q", "--progress-interval", "0.05"], directory: directory)
            #expect(quiet.code == 0 && !quiet.err.contains("drain: "), "\(quiet.err)")
            let none = try await runWithStderrInAFile(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s1.sqlite", "--progress", "none"],
                directory: directory)
            #expect(none.code == 0 && !none.err.contains("snapshot 1/"), "\(none.err)")
            let json = try await runWithStderrInAFile(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s2.sqlite", "--json"], directory: directory)
            #expect(json.code == 0, "\(json.err)")
            #expect(json.err.contains("snapshot 1/2: copying queue table"), "progress on stderr: \(json.err)")
            #expect(!json.out.contains("copying queue table"), "\(json.out)")
        }
    }

    /// On a terminal the line is redrawn in place: carriage return and erase, no line per update.
    @Test func onATerminalOneLineIsRedrawnInPlace() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory)
            let run = try TerminalWatchedProcess(Self.drain, directory: directory)
            #expect(try await run.waitForExit() == 0, "\(run.stderr)")
            let redraws = run.stderr.components(separatedBy: "\r\u{1B}[Kdrain: ").count - 1
            #expect(redraws >= 2, "\(run.stderr)")
            #expect(run.stderr.contains("%"))
            // The updates share one line: no line break between two of them.
            #expect(!run.stderr.contains("rows/s\r\n"), "\(run.stderr)")
        }
    }

    /// `snapshot --log-level debug` logs its numbered phases and the file it wrote, with its size.
    @Test func snapshotLogsItsPhasesAndTheFileItWrote() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory, small: true)
            let run = try await runWithStderrInAFile(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:fs.sqlite", "--out",
                    "snap.sqlite", "--log-level", "debug", "--progress", "none",
                ], directory: directory)
            #expect(run.code == 0, "\(run.err)")
            for phase in [
                "snapshot 1/5: copying queue table", "snapshot 2/5: serialising the member register",
                "snapshot 3/5: capturing Firestore members", "snapshot 5/5: capturing Firestore sync_queue",
            ] {
                #expect(run.err.contains("info cutover.phase: ") && run.err.contains(phase), "\(phase): \(run.err)")
            }
            let size = try #require(
                try FileManager.default.attributesOfItem(atPath: "\(directory)/snap.sqlite")[.size] as? Int)
            #expect(run.err.contains("bytes=\(size)") && run.err.contains("wrote snap.sqlite"), "\(run.err)")
            // -v is info: the same phases.
            let verbose = try await runWithStderrInAFile(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "snap2.sqlite", "-v", "--progress", "none"],
                directory: directory)
            #expect(verbose.err.contains("snapshot 1/2: copying queue table"), "\(verbose.err)")
            // The default level is warning: no phase in the log.
            let quiet = try await runWithStderrInAFile(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "snap3.sqlite", "--progress", "none"],
                directory: directory)
            #expect(!quiet.err.contains("cutover.phase"), "\(quiet.err)")
        }
    }

    /// A request the server refuses with 503 is retried, and each retry is logged with the status, the
    /// attempt and the backoff — and no document id (a member's is a kennitala).
    @Test func aRetriedFirestoreRequestLogsStatusAttemptAndBackoff() async throws {
        try await withTemporaryDirectory { directory in
            let failing = try ServedProcess.firestore(
                data: "\(directory)/f.sqlite", extraArguments: ["--fail-rate", "503=1"])
            defer { failing.stop() }
            try await copyWorld(into: directory, small: true)
            let run = try await runWithStderrInAFile(
                ["status", "--source", "sqlite:legacy.sqlite", "--firestore", failing.url, "-v"], directory: directory)
            #expect(run.code == 3, "\(run.err)")
            for attempt in 1...4 {
                #expect(run.err.contains("attempt=\(attempt) of 5"), "attempt \(attempt): \(run.err)")
            }
            #expect(run.err.contains("status=UNAVAILABLE") && run.err.contains("http=503"), "\(run.err)")
            #expect(run.err.contains("backoff=") && run.err.contains("retrying"), "\(run.err)")
            #expect(run.err.contains("gave up after 5 attempts"))
        }
    }
}
