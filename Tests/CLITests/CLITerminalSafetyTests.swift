import CutoverSupport
import Foundation
import SQLite
import TestSupport
import Testing

/// Issue 19 point 8: control characters from rows, rules, the configuration file and file names reach
/// the terminal escaped (`\u001b`), never as the raw bytes a terminal obeys.
struct CLITerminalSafetyTests {
    /// Clears the screen, retitles the window (OSC … BEL), and a C1 CSI (U+009B) for 8-bit terminals.
    static let hostile = "\u{1b}[2J\u{1b}]0;owned\u{07}\u{9b}31m"

    /// No ESC, BEL or C1 control in either stream, and the hostile value shown escaped where it is quoted.
    func expectEscaped(
        _ outcome: CutoverBinary.Outcome, quoted: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (name, text) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] {
            let raw = text.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
            }
            #expect(
                raw.isEmpty, "raw control characters on \(name): \(raw.map { String($0.value, radix: 16) })",
                sourceLocation: sourceLocation)
        }
        if quoted {
            #expect(
                (outcome.stdout + outcome.stderr).contains("\\u001b[2J"),
                "the value is shown, escaped: \(outcome.stdout)\(outcome.stderr)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func theEscapeItself() throws {
        #expect(TerminalText.escaped("a\u{1b}[2Jb") == "a\\u001b[2Jb")
        #expect(TerminalText.escaped("line\nnext\ttab\r") == "line\\u000anext\\u0009tab\\u000d")
        #expect(TerminalText.escaped("line\nnext\ttab\r", keepingLineBreaks: true) == "line\nnext\ttab\\u000d")
        #expect(TerminalText.escaped("\u{9b}\u{7f}\u{0}") == "\\u009b\\u007f\\u0000")
        #expect(
            TerminalText.escaped("Jón Þór — Reykjavíkurborg 010170-****") == "Jón Þór — Reykjavíkurborg 010170-****")
        // JSON stays JSON: a C1 character inside a string becomes JSON's own escape for it.
        let json = JSONValue.object(["detail": .string("x\u{9b}y\u{1b}")]).prettyText
        #expect(try JSONValue(parsing: TerminalText.escaped(json, keepingLineBreaks: true)) == JSONValue(parsing: json))
    }

    @Test func aQueueRowsErrorMessageIsEscapedInStatusAndTheDrain() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            try await DemoWorld(members: 60, queueRows: 300).copy(into: directory)
            let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readWrite)
            try legacy.execute(
                """
                UPDATE membership_membersyncqueue SET sync_status = 'failed', retry_count = 99,
                  error_message = '\(Self.hostile)'
                WHERE id = (SELECT min(id) FROM membership_membersyncqueue WHERE sync_status = 'pending')
                """)
            legacy.close()

            let status = try await run(["status", "--source", "sqlite:legacy.sqlite"])
            #expect(status.exitCode == 0, "\(status.stderr)")
            expectEscaped(status, quoted: false)

            // The dry run prints its plan row by row, the dead row with the error it last had.
            let plan = try await run([
                "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:legacy-firestore.sqlite",
                "--include-failed", "--dry-run",
            ])
            #expect(plan.stdout.contains("retries exhausted (99)"), "\(plan.stdout)")
            expectEscaped(plan)

            let drained = try await run([
                "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:legacy-firestore.sqlite",
                "--include-failed",
            ])
            #expect(drained.exitCode == 20, "\(drained.stderr)")
            expectEscaped(drained, quoted: false)
        }
    }

    @Test func aRulesFileAConfigurationValueAndAFileNameAreEscapedOnTheErrorPath() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(
                    arguments, environment: CutoverBinary.cleanEnvironment(), directory: directory)
            }
            try await DemoWorld(members: 40, queueRows: 100).copy(into: directory)
            #expect(
                try await run([
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                    "--out", "snap.sqlite",
                ]).exitCode == 0)

            // A rules file naming a field path that holds escape sequences (YAML's own \e escape).
            let rules = "\(directory)/rules.yaml"
            try "version: 1\ncorrespondences:\n  - a: \"\\e[2J\\e]0;owned\\a\"\n    b: profile.gender\n    reason: x\n"
                .write(toFile: rules, atomically: true, encoding: .utf8)
            let checked = try await run(["parity", "rules", "--check", rules])
            #expect(checked.exitCode == ExitCode.input.code, "\(checked.stderr)")
            expectEscaped(checked)
            let replayed = try await run([
                "parity", "replay", "--snapshot", "snap.sqlite", "--rules", rules, "--out", "parity",
            ])
            #expect(replayed.exitCode == ExitCode.input.code, "\(replayed.stderr)")
            expectEscaped(replayed)

            // A configuration file whose source holds an escape sequence.
            let configuration = "\(directory)/hostile-config.yaml"
            try "source: \"sqlite:\(directory)/\\e[2Jgone/legacy.sqlite\"\n".write(
                toFile: configuration, atomically: true, encoding: .utf8)
            let configured = try await run(["status", "--config", configuration])
            #expect(configured.exitCode != 0 && configured.exitCode != 1, "\(configured.stderr)")
            expectEscaped(configured)

            // File names: a snapshot path and an archive path that are not what they claim.
            let named = "\(directory)/\(Self.hostile).sqlite"
            try "not a snapshot\n".write(toFile: named, atomically: true, encoding: .utf8)
            for arguments in [
                ["status", "--source", named], ["parity", "replay", "--snapshot", named, "--out", "parity"],
                ["archive", "verify", named],
                [
                    "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:legacy-firestore.sqlite",
                    "--journal", named,
                ],
            ] {
                let refused = try await run(arguments)
                #expect(
                    refused.exitCode != 0 && refused.exitCode != 1,
                    "\(arguments[0]): \(refused.exitCode) \(refused.stderr)")
                expectEscaped(refused)
            }
            // A usage error quoting the bad value (ArgumentParser's own message).
            let usage = try await run(["drain", "--via", Self.hostile])
            #expect(usage.exitCode == ExitCode.usage.code)
            expectEscaped(usage)
        }
    }
}
