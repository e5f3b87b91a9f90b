import CutoverSupport
import Foundation
import TestSupport
import Testing

/// Issue 19 point 3, as a class rather than examples: every subcommand with each kind of bad value for
/// each option it applies to — a directory where a file belongs, a file where a directory belongs, a
/// missing file, a file that is not a database, an empty file, NaN, infinite, huge and negative numbers
/// and durations, ports out of range, strings of spaces, an inverted window. Each must end in a
/// documented exit code other than 1 (a bug), with one error line (plus ArgumentParser's usage lines,
/// or a `next:` hint) and no Foundation or NIO internals — never a trap.
struct CLIOperatorInputTests {
    struct Case: CustomStringConvertible {
        var arguments: [String]
        var environment: [String: String] = [:]
        var description: String {
            arguments.joined(separator: " ") + environment.map { " [\($0.key)=\($0.value)]" }.joined()
        }
    }

    /// Codes a bad value may end in: every documented one but success and "a bug".
    static let allowed = Set(ExitCode.allCases.map(\.code)).subtracting([
        ExitCode.success.code, ExitCode.internalFailure.code,
    ])
    /// Codes that are a report's verdict rather than an error: their words are on standard output.
    static let verdicts: Set<Int32> = [10, 11, 12, 20, 21, 30, 40, 50]
    static let internals = [
        "Error Domain=", "NSCocoaErrorDomain", "NSPOSIXErrorDomain", "NIOCore", "NIOPosix", "IOError", "Optional(",
        "Fatal error", "Swift/", "_NIO", "errno:", "UserInfo=",
    ]

    /// Runs one case; a process still running after `timeout` seconds (a server that accepted a bad
    /// value and started) is stopped and reported.
    struct Ran {
        var exitCode: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ test: Case, in directory: String, timeout: Double = 30) async throws -> (Ran, signal: Int32?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
        process.arguments = test.arguments
        process.environment = CutoverBinary.cleanEnvironment(test.environment)
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // The timeout counts from when the child may start, not from when this test asked for a slot. The
        // lanes' 150-odd runs are a long chain: each goes ahead of single runs in the queue for a slot.
        let captured = try await ChildProcessSlots.asLongChain {
            try await ChildProcessSlots.waitingForChild {
                let stopper = DispatchWorkItem { if process.isRunning { process.terminate() } }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: stopper)
                defer { stopper.cancel() }
                return try ProcessOutput.run(process)
            }
        }
        // A trap (SIGILL, SIGTRAP, SIGABRT, SIGSEGV) ends the process by a signal, whose number must not
        // pass for an exit code; SIGTERM is the stopper's, after the timeout.
        let signal = process.terminationReason == .uncaughtSignal ? captured.exitCode : nil
        return (
            Ran(
                exitCode: captured.exitCode, stdout: String(decoding: captured.stdout, as: UTF8.self),
                stderr: String(decoding: captured.stderr, as: UTF8.self)), signal
        )
    }

    /// Made again before every case: a case may not leave a fixture changed for the next (an empty file is
    /// an empty database to SQLite, and one that opens it for writing makes it one).
    static func makeFixtures(in d: String) throws {
        let files = FileManager.default
        for name in ["dir", "text.txt", "empty", "blank-key"] { try? files.removeItem(atPath: "\(d)/\(name)") }
        try files.createDirectory(atPath: "\(d)/dir", withIntermediateDirectories: false)
        try "this is not a database\n".write(toFile: "\(d)/text.txt", atomically: true, encoding: .utf8)
        _ = files.createFile(atPath: "\(d)/empty", contents: Data())
        try "   \n".write(toFile: "\(d)/blank-key", atomically: true, encoding: .utf8)
    }

    /// Every case, against fixtures in `directory`: a demo database with its store, a snapshot and an archive.
    static func cases(_ d: String) -> [Case] {
        let dir = "\(d)/dir", text = "\(d)/text.txt", empty = "\(d)/empty", missing = "\(d)/missing/nothing.sqlite"
        let files = [dir, text, empty, missing]
        let source = "sqlite:\(d)/legacy.sqlite", store = "embedded:\(d)/legacy-firestore.sqlite"
        let badSources = [
            "sqlite:\(dir)", "sqlite:\(text)", "sqlite:\(missing)", "   ", "postgresql://nobody@127.0.0.1:65536/x",
        ]
        let badStores = [
            "embedded:\(dir)", "embedded:\(text)", "embedded:\(missing)", "   ", "http://127.0.0.1:65536",
            "http://127.0.0.1:-1",
        ]
        let badDoubles = ["nan", "inf", "-inf", "1e300", "-1"]
        let badDurations = ["nan", "inf", "1e300", "-5", "9223372036854775807", "99999999999999h", "   "]
        var cases: [Case] = []
        func add(_ base: [String], _ option: String, _ values: [String], environment: [String: String] = [:]) {
            cases += values.map { Case(arguments: base + ["\(option)=\($0)"], environment: environment) }
        }

        // status
        add(["status"], "--source", files + badSources)
        add(["status", "--source", source], "--last-run", ["yesterday", "   ", "99999-01-01T00:00:00Z"])
        add(["status", "--source", source], "--ledger", [dir, text])
        add(["status", "--source", source], "--firestore", badStores)
        add(["status", "--source", source], "--table", ["   ", "a.b.c", "\"x"])
        add(
            ["status", "--source", source, "--ledger", "\(d)/ledger.sqlite"], "--max-step-age-hours",
            ["-1", "9223372036854775807"])
        add(["status"], "--config", files)
        // snapshot
        add(["snapshot", "--out", "\(d)/out/s.sqlite"], "--source", badSources)
        add(["snapshot", "--source", source], "--out", [dir, "\(text)/s.sqlite"])
        add(["snapshot", "--source", source, "--out", "\(d)/out/s2.sqlite"], "--firestore", badStores)
        // parity
        add(["parity", "replay", "--out", "\(d)/parity"], "--snapshot", files)
        add(["parity", "replay", "--snapshot", "\(d)/snap.sqlite", "--out", "\(d)/parity"], "--rules", files)
        add(["parity", "replay", "--snapshot", "\(d)/snap.sqlite"], "--out", [text])
        add(["parity", "rules"], "--check", files)
        // drain: a dry run, so a value that is wrongly accepted changes nothing
        let drain = ["drain", "--source", source, "--target", store, "--dry-run"]
        add(drain, "--backoff", badDoubles)
        add(drain, "--attempts", ["0", "-1"])
        add(drain, "--batch-size", ["0", "-5"])
        add(drain, "--max-retries", ["-1"])
        add(drain, "--parity", files)
        add(["drain", "--source", source, "--target", store], "--journal", [dir, text])
        add(["drain", "--source", source, "--dry-run"], "--target", badStores)
        add(["drain", "--target", store, "--dry-run"], "--source", badSources)
        // verify
        add(["verify", "--source", source, "--target", store], "--journal", files)
        add(
            ["verify", "--source", source, "--target", store, "--journal", "\(d)/journal-none.sqlite"], "--rules",
            [dir, text, empty])
        add(["verify", "--source", source], "--target", badStores)
        // archive
        add(["archive", "create", "--out", "\(d)/out/a.tar.gz"], "--snapshot", files)
        add(["archive", "create", "--snapshot", "\(d)/snap.sqlite"], "--out", [dir, "\(text)/a.tar.gz"])
        add(
            ["archive", "create", "--snapshot", "\(d)/snap.sqlite", "--out", "\(d)/out/b.tar.gz"], "--reports",
            [text, "\(d)/missing"])
        for sub in ["verify", "list"] { cases += files.map { Case(arguments: ["archive", sub, $0]) } }
        cases += files.map { Case(arguments: ["archive", "extract", $0, "--to", "\(d)/extracted"]) }
        add(["archive", "extract", "\(d)/a.tar.gz"], "--to", [text])
        add(["archive", "extract", "\(d)/a.tar.gz"], "--as-snapshot", [dir])
        // restore
        add(["restore", "--into", "sqlite:\(d)/restored.sqlite", "--dry-run"], "--snapshot", files)
        add(["restore", "--into", "sqlite:\(d)/restored.sqlite", "--dry-run"], "--archive", files)
        add(
            ["restore", "--snapshot", "\(d)/snap.sqlite", "--dry-run"], "--into",
            ["sqlite:\(dir)", "sqlite:\(text)", "   "])
        add(
            ["restore", "--snapshot", "\(d)/snap.sqlite", "--into", "sqlite:\(d)/restored.sqlite", "--dry-run"],
            "--schema", ["   "])
        // retire: without --confirm nothing changes
        add(["retire", "--source", source], "--archive", files)
        add(
            ["retire", "--source", source, "--archive", "\(d)/a.tar.gz"], "--max-age-hours",
            ["-1", "9223372036854775807"])
        // rehearse
        add(["rehearse", "--out", "\(d)/rehearse"], "--members", ["-1"])
        add(["rehearse", "--out", "\(d)/rehearse"], "--queue-rows", ["-1"])
        add(["rehearse"], "--out", [text])
        // demo
        add(["demo", "seed", "--into", "sqlite:\(d)/seed.sqlite", "--dry-run"], "--members", ["-1", "99999999999"])
        add(["demo", "seed", "--into", "sqlite:\(d)/seed.sqlite", "--dry-run"], "--queue-rows", ["-1"])
        add(["demo", "seed", "--dry-run"], "--into", ["sqlite:\(dir)", "sqlite:\(text)", "   "])
        add(["demo", "nightly-run", "--firestore", store, "--dry-run"], "--source", badSources)
        add(["demo", "nightly-run", "--source", source, "--dry-run"], "--firestore", badStores)
        // shadow
        let key = ["SYNC_API_KEY": "shadow-key"]
        add(
            ["shadow", "serve", "--record", "\(d)/record.sqlite"], "--listen",
            ["127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:abc", "   "],
            environment: key)
        add(["shadow", "serve", "--listen", "127.0.0.1:0"], "--record", [dir, text], environment: key)
        add(
            ["shadow", "serve", "--listen", "127.0.0.1:0", "--record", "\(d)/record.sqlite"], "--forward",
            ["not a url", "http://", "ftp://example.com", "   "], environment: key)
        cases.append(
            Case(
                arguments: ["shadow", "serve", "--listen", "127.0.0.1:0", "--record", "\(d)/record.sqlite"],
                environment: ["SYNC_API_KEY": "   "]))
        add(
            ["shadow", "serve", "--listen", "127.0.0.1:0", "--record", "\(d)/record.sqlite"], "--key-file",
            [dir, empty, missing, "\(d)/blank-key"])
        let shadowRun = [
            "shadow", "run", "--source", source, "--record", "\(d)/shadow-record.sqlite", "--shadow",
            "embedded:\(d)/shadow-a.sqlite",
        ]
        add(shadowRun, "--follow", ["nan", "inf", "0", "-1", "1e300"])
        add(
            ["shadow", "run", "--source", source, "--shadow", "embedded:\(d)/shadow-a.sqlite"], "--record", [dir, text])
        // An output store in a folder that is not there yet is made, folder and all: not a bad value here.
        add(
            ["shadow", "run", "--source", source, "--record", "\(d)/shadow-record.sqlite"], "--shadow",
            badStores.filter { $0 != "embedded:\(missing)" })
        let compare = [
            "shadow", "compare", "--source", source, "--record", "\(d)/shadow-record.sqlite", "--path-a", store,
            "--path-b", store,
            "--out", "\(d)/shadow",
        ]
        cases.append(Case(arguments: compare + ["--since", "2025-11-25T00:00:00Z", "--until", "2025-11-24T00:00:00Z"]))
        add(compare + ["--since", "2025-11-24T00:00:00Z"], "--settle", badDurations)
        add(compare + ["--since", "2025-11-24T00:00:00Z"], "--match-window", badDurations)
        add(compare + ["--since", "2025-11-24T00:00:00Z"], "--rules", [dir, text, empty, missing])
        add(
            [
                "shadow", "compare", "--source", source, "--path-a", store, "--path-b", store, "--since",
                "2025-11-24T00:00:00Z",
                "--out", "\(d)/shadow",
            ], "--record", [dir, text])
        // firestore serve
        let serve = ["firestore", "serve", "--data", "\(d)/served.sqlite"]
        add(serve, "--port", ["65536", "-1", "99999999999999999999"])
        add(serve + ["--port", "0"], "--latency", badDoubles)
        add(serve + ["--port", "0"], "--drop-rate", ["2", "nan", "-0.5"])
        add(serve + ["--port", "0"], "--malformed-rate", ["nan", "inf", "1.5"])
        add(
            serve + ["--port", "0"], "--fail-rate", ["503=0.7,429=0.6", "abc", "503=nan", "503=inf", "700=0.1", "   "])
        add(serve + ["--port", "0"], "--retry-after", ["-1"])
        add(serve + ["--port", "0"], "--host", ["   ", "999.1.1.1"])
        add(["firestore", "serve", "--port", "0"], "--data", [dir, text])
        return cases
    }

    /// What a case did wrong, or nil.
    static func problem(_ outcome: Ran, signal: Int32?) -> String? {
        if signal == SIGTERM { return "did not finish: accepted the value and kept running" }
        if let signal { return "killed by signal \(signal) (exit \(128 + signal) in a shell): a trap" }
        guard allowed.contains(outcome.exitCode) else {
            return "exit \(outcome.exitCode) is not a documented code for a bad value"
        }
        if let text = internals.first(where: { outcome.stderr.contains($0) || outcome.stdout.contains($0) }) {
            return "internal text '\(text)' shown"
        }
        // Progress lines (`… ` off a terminal) may precede the error in a log: they are not error lines.
        let lines = outcome.stderr.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("… ") }
        guard let first = lines.first else {
            // A verdict (archive verify's NOT VALID, shadow compare's INCONCLUSIVE) is the report on stdout.
            return verdicts.contains(outcome.exitCode) || !outcome.stdout.isEmpty
                ? nil : "exit \(outcome.exitCode) without a word"
        }
        guard first.hasPrefix("error: ") || first.hasPrefix("Error: ") else {
            return "the first line is not the error: \(first)"
        }
        let rest = lines.dropFirst()
        if outcome.exitCode == ExitCode.usage.code {
            // ArgumentParser's usage lines (wrapped, indented) and its pointer to --help.
            if let stray = rest.first(where: { !($0.hasPrefix("Usage:") || $0.hasPrefix(" ") || $0.hasPrefix("Help:")) }
            ) {
                return "more than one error line: \(stray)"
            }
        } else if rest.count > 1 || rest.contains(where: { !$0.hasPrefix("  next: ") }) {
            return "more than one error line: \(rest.joined(separator: " / "))"
        }
        return nil
    }

    @Test func everySubcommandRefusesEveryKindOfBadValueWithADocumentedCodeAndOneLine() async throws {
        try await withTemporaryDirectory { d in
            func run(_ arguments: [String]) async throws {
                let outcome = try await CutoverBinary.run(arguments, directory: d)
                let shown = arguments.joined(separator: " ")
                try #require(outcome.exitCode == 0, "fixture: \(shown): \(outcome.stderr)")
            }
            try await run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "40", "--queue-rows", "120"])
            try await run([
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                "--out", "snap.sqlite",
            ])
            try await run(["archive", "create", "--snapshot", "snap.sqlite", "--out", "a.tar.gz"])
            // The cases run in four lanes side by side, each with a copy of the fixtures in a directory of its
            // own (a case may change the fixtures it is given; see makeFixtures). One after the other, their
            // 150-odd runs were the suite's last minute, each waiting for a free child slot in turn.
            let lanes = 4
            let seeded = filesIn(d)
            let failures = try await withThrowingTaskGroup(of: [String].self) { group in
                for lane in 0..<lanes {
                    let directory = "\(d)/lane-\(lane)"
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
                    for file in seeded {
                        try FileManager.default.copyItem(atPath: "\(d)/\(file)", toPath: "\(directory)/\(file)")
                    }
                    group.addTask {
                        var failures: [String] = []
                        for (index, test) in Self.cases(directory).enumerated() where index % lanes == lane {
                            try Self.makeFixtures(in: directory)
                            let (outcome, signal) = try await Self.run(test, in: directory)
                            if let problem = Self.problem(outcome, signal: signal) {
                                failures.append("\(test) → \(problem)\n    stderr: \(outcome.stderr.prefix(400))")
                            }
                        }
                        return failures
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let cases = Self.cases(d)
            #expect(cases.count > 150)
            let listed = failures.joined(separator: "\n")
            #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases:\n\(listed)")
        }
    }
}
