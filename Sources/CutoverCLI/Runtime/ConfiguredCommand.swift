import ArgumentParser
import CutoverSupport

/// A command some of whose options the configuration file can supply. `CutoverCommand.main()` fills it
/// after parsing and before `run()`, so `run()` sees the command line, the file and the defaults merged.
protocol ConfiguredCommand: ParsableCommand, ConfigurationFillable {
    var configurationFile: ConfigurationOptions { get }
}

extension ConfiguredCommand {
    /// Reads the configuration file — the one `--config` or `CUTOVER_CONFIG` names, else one found in the
    /// working directory or the user's configuration directory — and fills the command from it. A file
    /// found rather than named is announced on standard error. Without a file the command is filled from an
    /// empty one: what must be given is checked all the same.
    mutating func fillFromConfigurationFile() throws {
        var configuration = ConfigurationFile.empty
        if let location = configurationFile.location() {
            if location.origin != .option { Terminal.error(location.announcement + "\n") }
            do { configuration = try ConfigurationFile(path: location.path) } catch {
                let code = CutoverSupport.ExitCode.input.code
                if JSONInvocation.enabled {
                    JSONEnvelope.printError(exitCode: code, message: "\(error)", next: "correct the line named")
                } else {
                    Terminal.error("error: \(error)\n")
                }
                throw ArgumentParser.ExitCode(code)
            }
        }
        do { try fill(from: configuration) } catch let error as ValidationError {
            let invocation = JSONInvocation.current
            if JSONInvocation.enabled {
                JSONEnvelope.printError(
                    exitCode: ArgumentParser.ExitCode.validationFailure.rawValue, message: error.message,
                    next: "see 'cutover \(invocation.commandName) --help'")
            } else {
                // Thrown after parsing, ArgumentParser would show the root command's usage: show this one's,
                // in ArgumentParser's own words, as when the check ran in validate().
                Terminal.error(Self.usageError(error.message))
            }
            throw ArgumentParser.ExitCode.validationFailure
        }
    }

    /// `Error: …`, the command's usage, and where its help is, as ArgumentParser prints a validation error.
    static func usageError(_ message: String) -> String {
        let usage = CutoverCommand.usageString(for: Self.self)
        // The command's words are the usage's up to its first option or placeholder.
        let names = usage.split(separator: " ").prefix {
            !$0.hasPrefix("-") && !$0.hasPrefix("[") && !$0.hasPrefix("<")
        }
        return
            "Error: \(message)\nUsage: \(usage)\n  See '\(names.joined(separator: " ")) --help' for more information.\n"
    }
}
