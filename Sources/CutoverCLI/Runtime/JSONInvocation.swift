import ArgumentParser

/// Which command the command line names, and whether it asked that command for `--json`. Read from the
/// words themselves, not from a parsed command: a usage error stops parsing before any command exists,
/// and its message must still come out as JSON when `--json` was on the line.
struct JSONInvocation: Sendable {
    /// The command's words below `cutover`, e.g. ["archive", "create"]; empty for `cutover` itself.
    let words: [String]
    /// `--json` was given, before any `--`, to a command that takes it.
    let json: Bool
    /// `--json` to a command streaming envelopes (`EnvelopeStreaming`, with its option on the line): each
    /// envelope, an error's too, is then one line. Read from the words, like `json`, so that a usage error
    /// of `shadow run --follow X --json` is a line as well.
    let oneEnvelopePerLine: Bool

    /// This process's command line (read once; the arguments never change).
    static let current = JSONInvocation(arguments: Array(CommandLine.arguments.dropFirst()))

    /// Set once, before the command runs, when the configuration file says `json: true`: the command's
    /// errors are then owed an envelope as much as its result.
    nonisolated(unsafe) static var fromConfigurationFile = false

    /// Whether this run answers in JSON: `--json` on the command line, or `json: true` in the file.
    static var enabled: Bool { current.json || fromConfigurationFile }

    init(arguments: [String]) {
        var command: any ParsableCommand.Type = CutoverCommand.self
        var words: [String] = []
        var sawJSON = false
        var options: Set<String> = []
        for argument in arguments {
            if argument == "--" { break }
            if argument == "--json" {
                sawJSON = true
            } else if argument.hasPrefix("--") {
                options.insert(String(argument.prefix { $0 != "=" }))  // `--follow=5` is `--follow`
            } else if !argument.hasPrefix("-"),
                let subcommand = command.configuration.subcommands.first(where: { $0._commandName == argument })
            {
                // Option values and positionals that name no subcommand are passed over, so
                // `cutover --config FILE drain` still finds `drain`.
                command = subcommand
                words.append(argument)
            }
        }
        self.words = words
        self.json = sawJSON && Self.takesJSON(command)
        let streaming = (command as? any EnvelopeStreaming.Type)?.streamingOption
        self.oneEnvelopePerLine = json && streaming.map(options.contains) == true
    }

    /// The command's words as the envelope's `command` says them: "archive create".
    var commandName: String { words.joined(separator: " ") }

    /// Whether the command declares a group that holds `--json`: `OutputOptions`, or the servers'
    /// `ServerOutputOptions`. A freshly made command holds its options' definitions, not values, so looking
    /// at them parses nothing.
    static func takesJSON(_ command: any ParsableCommand.Type) -> Bool {
        Mirror(reflecting: command.init()).children.contains {
            $0.value is OptionGroup<OutputOptions> || $0.value is OptionGroup<ServerOutputOptions>
        }
    }
}
