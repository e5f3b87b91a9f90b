import Foundation
import TestSupport
import Testing

/// `--help` of every command, against golden files in Golden/help (one per command path, words
/// joined by `-`): a change to an option, a default or an abstract shows in review as a diff.
/// Commands are found by walking each help's SUBCOMMANDS section, so a new command without a
/// golden file fails until `UPDATE_GOLDEN=1` writes one. Nothing is normalised: help holds no
/// time or path; it is rendered at the parser's default 80 columns (no COLUMNS in the environment).
struct CLIHelpGoldenTests {
    /// The names listed under SUBCOMMANDS in one help text.
    static func subcommands(in help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") {
                inSection = true
            } else if inSection && line.isEmpty {
                inSection = false
            } else if inSection, line.hasPrefix("  "), !line.hasPrefix("   "),
                let name = line.split(separator: " ").first
            {
                names.append(String(name))
            }
        }
        return names
    }

    @Test func everyCommandsHelpMatchesItsGoldenFile() async throws {
        var pending: [[String]] = [[]]
        var seen: [String] = []
        while let command = pending.popLast() {
            let outcome = try await CutoverBinary.run(
                command + ["--help"], environment: CutoverBinary.cleanEnvironment())
            #expect(outcome.exitCode == 0, "\(command): \(outcome.stderr)")
            let name = (["cutover"] + command).joined(separator: "-")
            seen.append(name)
            try Golden.expect(outcome.stdout, matches: Golden.path("help/\(name).txt"))
            pending += Self.subcommands(in: outcome.stdout).filter { $0 != "help" }.map { command + [$0] }
        }
        // Every golden file belongs to a command that still exists.
        let files = filesIn(Golden.path("help")).filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }
        if Golden.updating {
            for stale in Set(files).subtracting(seen) {
                try FileManager.default.removeItem(atPath: Golden.path("help/\(stale).txt"))
            }
            return
        }
        #expect(Set(files) == Set(seen), "stale golden files: \(Set(files).subtracting(seen).sorted())")
        #expect(seen.count > 20, "\(seen)")
    }
}
