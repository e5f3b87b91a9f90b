import ArgumentParser
import Foundation

/// `--config FILE` (or `CUTOVER_CONFIG`): the configuration file, taken on every command. Hidden, as before
/// it was an option: the root command's discussion documents it once, not every command's option list.
struct ConfigurationOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A YAML file naming source, target, table, rules and ledger; a flag on the command line wins.",
            valueName: "FILE", visibility: .hidden))
    var config: String?

    /// The file named by `--config`, else by `CUTOVER_CONFIG`; nil when neither names one.
    func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        config ?? environment["CUTOVER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
