import Foundation
import TestSupport
import Testing

/// Every `sh` block of README.md, run in order in one temporary directory (each block its own
/// `bash -euo pipefail`, so a block's `cd` stays in it) with `cutover` on PATH, HOME in the directory,
/// and the test PostgreSQL for the README's example servers. What the test changes is listed below,
/// and each entry must still match the README: an example edited away from its entry fails the test
/// rather than being skipped silently.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIReadmeExamplesTests {
    /// Lines that do not run here, each with the reason. The README must hold exactly these.
    static let skipped: [String: String] = [
        "bash scripts/quickstart.sh": "builds the package and rehearses; CLIQuickStartTests runs its steps",
        "bash scripts/test.sh": "is this test suite",
    ]

    /// Rewrites, each used at least once: the README's example servers and sizes, and the test's own.
    static func substitutions(postgres: String) -> [(String, String)] {
        [
            ("postgresql://app@127.0.0.1:5432/register", postgres),
            ("postgresql://app@db:5432/register", postgres),
            // The example seeds a million rows (about a minute); the command is the point, not the size.
            ("--members 100000 --queue-rows 1000000", "--members 300 --queue-rows 1500"),
            // Another process may hold 8080; the server's own port choice is tested elsewhere.
            ("--port 8080", "--port 0"),
        ]
    }

    /// Servers run until stopped: each runs until it prints `listening on`, is stopped with SIGTERM, and
    /// must then exit 0.
    static let serverPrefixes = ["cutover firestore serve", "cutover shadow serve"]

    static let prelude = """
        serve_until_listening() {
            "$@" > server.log 2>&1 & local pid=$!
            for _ in $(seq 1 200); do grep -q 'listening on' server.log && break; sleep 0.05; done
            grep -q 'listening on' server.log || { cat server.log; kill "$pid"; return 1; }
            kill -TERM "$pid"; wait "$pid"
        }

        """

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The block made runnable, and the skipped lines it held.
    static func prepared(_ block: String, postgres: String) -> (script: String, skipped: [String], used: Set<String>) {
        var lines: [String] = []
        var skipped: [String] = []
        var used: Set<String> = []
        for rawLine in block.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(rawLine)
            let command = line.split(separator: "#", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if let command, Self.skipped[command] != nil {
                skipped.append(command)
                continue
            }
            for (from, to) in substitutions(postgres: postgres) where line.contains(from) {
                line = line.replacingOccurrences(of: from, with: to)
                used.insert(from)
            }
            if serverPrefixes.contains(where: { line.hasPrefix($0) }) { line = "serve_until_listening " + line }
            lines.append(line)
        }
        return (lines.joined(separator: "\n"), skipped, used)
    }

    @Test func everyShellExampleOfTheReadmeRuns() async throws {
        try await withTemporaryDirectory { directory in
            try await TestPostgres.withFreshDatabase { postgres in
                let readme = try String(
                    contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
                let blocks = CLIRunbookTests.shellBlocks(readme)
                #expect(blocks.count >= 6, "README has \(blocks.count) shell blocks")

                // What a checkout has beside the README (the manual page), and the snapshot file the status
                // example names, taken from a database of its own.
                try FileManager.default.copyItem(
                    atPath: Self.repository.appendingPathComponent("docs").path, toPath: "\(directory)/docs")
                try FileManager.default.createDirectory(atPath: "\(directory)/home", withIntermediateDirectories: true)
                for step in [
                    ["demo", "seed", "--into", "sqlite:fixture.sqlite", "--members", "50", "--queue-rows", "100"],
                    [
                        "snapshot", "--source", "sqlite:fixture.sqlite", "--out",
                        "Snapshots/snapshot-20251125T120000.sqlite",
                    ],
                ] {
                    let outcome = try await CutoverBinary.run(step, directory: directory)
                    try #require(outcome.exitCode == 0, "\(step): \(outcome.stderr)")
                }

                let binDirectory = (CutoverBinary.path as NSString).deletingLastPathComponent
                let environment = CutoverBinary.cleanEnvironment([
                    "PATH": "\(binDirectory):/usr/bin:/bin", "HOME": "\(directory)/home",
                ])
                var skipped: [String] = []
                var used: Set<String> = []
                for (index, block) in blocks.enumerated() {
                    let prepared = Self.prepared(block, postgres: postgres)
                    skipped += prepared.skipped
                    used.formUnion(prepared.used)
                    let file = "\(directory)/readme-block-\(index + 1).sh"
                    try (Self.prelude + prepared.script + "\n").write(toFile: file, atomically: true, encoding: .utf8)
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/bash")
                    process.arguments = ["-euo", "pipefail", file]
                    process.environment = environment
                    process.currentDirectoryURL = URL(fileURLWithPath: directory)
                    let captured = try await ProcessOutput.run(process)
                    let log =
                        String(decoding: captured.stdout, as: UTF8.self)
                        + String(decoding: captured.stderr, as: UTF8.self)
                    let failure = "README shell block \(index + 1) failed (exit \(captured.exitCode)):\n\(block)\n---\n"
                    #expect(captured.exitCode == 0, "\(failure)\(log.suffix(3_000))")
                    if captured.exitCode != 0 { break }
                }
                #expect(Set(skipped) == Set(Self.skipped.keys), "skipped \(skipped); expected \(Self.skipped.keys)")
                let substitutions = Set(Self.substitutions(postgres: postgres).map(\.0))
                #expect(used == substitutions, "rewrites no longer in the README: \(substitutions.subtracting(used))")
            }
        }
    }
}
