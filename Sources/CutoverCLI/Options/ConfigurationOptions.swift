import ArgumentParser
import Foundation

/// `--config FILE`: the configuration file, taken on every command. Without it the file is
/// `CUTOVER_CONFIG`, else `./cutover.yaml`, else `$XDG_CONFIG_HOME/cutover/config.yaml` (`ConfigurationLocation`).
struct ConfigurationOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A YAML file of option values (source, target, table, ledger, project, log-level, …); a flag on the "
                + "command line wins. Default: CUTOVER_CONFIG, ./cutover.yaml, then "
                + "$XDG_CONFIG_HOME/cutover/config.yaml (~/.config). --config /dev/null reads none.",
            valueName: "FILE"),
        completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    /// The file to read, and how it was found; nil when there is none.
    func location(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigurationLocation? {
        ConfigurationLocation.find(option: config, environment: environment)
    }
}
