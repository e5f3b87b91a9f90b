import Foundation
import TestSupport
import Testing

/// The manual page in the repository (`docs/man/cutover.1`, made by `scripts/man.sh` with
/// swift-argument-parser's generate-manual plugin) is the page of this binary; every command takes
/// `--config`; the completion scripts complete files and enumerated values.
struct CLIManPageTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static var pagePath: String { repository.appendingPathComponent("docs/man/cutover.1").path }

    /// `cutover --experimental-dump-help`: what generate-manual reads to make the page.
    static func dumpHelp() async throws -> String {
        let outcome = try await CutoverBinary.run(
            ["--experimental-dump-help"], environment: CutoverBinary.cleanEnvironment())
        try #require(outcome.exitCode == 0, "\(outcome.stderr)")
        return outcome.stdout
    }

    /// Every command in the dump, with its path (`cutover archive create`) and its options' long names.
    static func commands(_ dump: String) throws -> [(path: String, options: [String])] {
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        var found: [(String, [String])] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let path = path + [command["commandName"] as? String ?? "?"]
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            let options = arguments.compactMap { argument -> String? in
                // A hidden option (a test's knob) is in neither --help nor the page.
                guard argument["shouldDisplay"] as? Bool ?? true else { return nil }
                let names = argument["names"] as? [[String: Any]] ?? []
                return names.first { $0["kind"] as? String == "long" }?["name"] as? String
            }
            found.append((path.joined(separator: " "), options))
            for subcommand in command["subcommands"] as? [[String: Any]] ?? [] { walk(subcommand, path) }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return found
    }

    static func sha256(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        process.standardInput = input
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix { $0 != " " })
    }

    /// The page records the dump it was made from; a change to any command, option or help text changes
    /// the dump, so a stale page fails here without running the plugin (which builds generate-manual).
    @Test func theCommittedManualPageIsMadeFromThisBinarysCommands() async throws {
        let dump = try await Self.dumpHelp()
        let page = try String(contentsOfFile: Self.pagePath, encoding: .utf8)
        let lines = page.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        try #require(lines.count == 3)
        #expect(lines[0].contains("swift-argument-parser"), "made by generate-manual: \(lines[0])")
        let recorded = lines[1].split(separator: " ").dropFirst(4).first.map(String.init)
        #expect(
            recorded == (try Self.sha256(dump)),
            "docs/man/cutover.1 is stale (made from another --experimental-dump-help): run bash scripts/man.sh")

        // And it holds what the dump holds: every command and every long option, in mdoc's words.
        for (path, options) in try Self.commands(dump) {
            // One page: each subcommand is an item of its parent's list, `.It Em NAME`.
            if let name = path.split(separator: " ").dropFirst().last {
                #expect(page.contains(".It Em \(name)\n"), "\(path) is not in the page")
            }
            for option in options where option != "help" && option != "version" {
                // An option with a short name is `.It Fl q , -quiet`.
                let spellings = ["Fl \\-\(option)", "Fl -\(option)", " , -\(option)\n", " , \\-\(option)\n"]
                #expect(spellings.contains { page.contains($0) }, "\(path) --\(option)")
            }
        }
    }

    @Test func thePageRendersWithMan() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["MANWIDTH=100", "man", "-l", Self.pagePath]
        let captured = try await ProcessOutput.run(process)
        let text = String(decoding: captured.stdout, as: UTF8.self)
        try #require(captured.exitCode == 0, "\(String(decoding: captured.stderr, as: UTF8.self))")
        #expect(text.contains("NAME"))
        #expect(text.contains("--config"))
        #expect(text.contains("archive create"))
    }

    /// generate-manual keeps only ASCII characters; scripts/man.sh hands it each other one spelled out and
    /// gives it back as an mdoc escape, so every character of the help — em dashes, arrows, "Reykjavík" — is
    /// on the page as `man` renders it in a UTF-8 locale, and none is left spelled out.
    @Test func thePageKeepsTheHelpsNonASCIICharacters() async throws {
        let wanted = Set(try await Self.dumpHelp().unicodeScalars.filter { !$0.isASCII })
        #expect(wanted.contains("\u{2014}"), "the help has em dashes")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["LC_ALL=C.UTF-8", "MANWIDTH=100", "man", "-l", Self.pagePath]
        let captured = try await ProcessOutput.run(process)
        try #require(captured.exitCode == 0, "\(String(decoding: captured.stderr, as: UTF8.self))")
        let rendered = Set(String(decoding: captured.stdout, as: UTF8.self).unicodeScalars)
        let missing = wanted.subtracting(rendered).map { "U+\(String($0.value, radix: 16, uppercase: true))" }
        #expect(missing.isEmpty, "not on the rendered page: \(missing.sorted())")
        let page = try String(contentsOfFile: Self.pagePath, encoding: .utf8)
        #expect(!page.contains("@U+"), "a character left spelled out")
        #expect(page.contains("\\(em"), "em dashes as mdoc's escape")
    }

    /// Every command, groups included, shows `--config` in its help, and fills from the file.
    @Test func everyCommandTakesConfig() async throws {
        let commands = try Self.commands(try await Self.dumpHelp())
        #expect(commands.count > 20)
        // `cutover help` is ArgumentParser's own: it only shows other commands' help.
        for (path, options) in commands where path != "cutover help" {
            #expect(options.contains("config"), "\(path) has no --config")
        }
    }

    /// Bash completion: enumerated options complete their values, path options complete files or
    /// directories.
    @Test func theBashCompletionScriptCompletesValuesAndFiles() async throws {
        let outcome = try await CutoverBinary.run(
            ["--generate-completion-script", "bash"], environment: CutoverBinary.cleanEnvironment())
        try #require(outcome.exitCode == 0, "\(outcome.stderr)")
        let script = outcome.stdout
        // drain --via, demo seed --flavour, --log-level: their values as the parser knows them, one a line.
        for values in [
            ["webhook", "queue"], ["django", "django-identity", "handwritten"], ["trace", "debug", "info"],
        ] {
            let list = "-W '" + values.joined(separator: "'$'\\n''")
            #expect(script.contains(list), "values \(values) not completed")
        }
        // archive create: --snapshot completes files, --reports directories, --config YAML files.
        let create = try #require(Self.function(named: "_cutover_archive_create", in: script))
        #expect(Self.completion(of: "--snapshot", in: create) == "__cutover_add_completions -f")
        #expect(Self.completion(of: "--reports", in: create) == "__cutover_add_completions -d")
        #expect(
            Self.completion(of: "--config", in: create) == "__cutover_add_completions -o plusdirs -fX '!*.@(yaml|yml)'")
        for shell in ["zsh", "fish"] {
            let other = try await CutoverBinary.run(
                ["--generate-completion-script", shell], environment: CutoverBinary.cleanEnvironment())
            #expect(other.exitCode == 0 && other.stdout.contains("handwritten"), "\(shell)")
        }
    }

    /// The completion command offered after `option` in one command's completion function.
    static func completion(of option: String, in function: String) -> String? {
        guard let start = function.range(of: "'\(option)')") ?? function.range(of: "\(option))") else { return nil }
        let rest = function[start.upperBound...]
        return rest.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    /// The body of one shell function in a generated script.
    static func function(named name: String, in script: String) -> String? {
        guard let start = script.range(of: "\(name)() {") else { return nil }
        let rest = script[start.upperBound...]
        let end = rest.range(of: "\n}\n")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }
}
