import Foundation

/// Which configuration file a command reads, first found: `--config FILE`, `CUTOVER_CONFIG`,
/// `./cutover.yaml`, then `$XDG_CONFIG_HOME/cutover/config.yaml` (`~/.config` when XDG_CONFIG_HOME is
/// unset or not absolute, as the XDG Base Directory specification says). One file is read, never a merge
/// of several: what a command did is then explained by one file, which the command names on standard error.
struct ConfigurationLocation: Equatable {
    enum Origin: Equatable {
        case option, environment, workingDirectory, userConfiguration

        /// How the file was found, in the line that names it.
        var phrase: String {
            switch self {
            case .option: "from --config"
            case .environment: "from CUTOVER_CONFIG"
            case .workingDirectory: "found in the working directory"
            case .userConfiguration: "found in the user's configuration directory"
            }
        }
    }

    static let workingDirectoryName = "cutover.yaml"

    let path: String
    let origin: Origin

    /// The file to read, or nil when none is named and none exists where one is looked for. A named file
    /// is returned whether or not it exists: reading it then says what is wrong.
    static func find(
        option: String?, environment: [String: String], fileExists: (String) -> Bool = Self.isRegularFile
    ) -> ConfigurationLocation? {
        if let option { return ConfigurationLocation(path: option, origin: .option) }
        if let named = environment["CUTOVER_CONFIG"], !named.isEmpty {
            return ConfigurationLocation(path: named, origin: .environment)
        }
        if fileExists(workingDirectoryName) {
            return ConfigurationLocation(path: "./\(workingDirectoryName)", origin: .workingDirectory)
        }
        if let directory = userConfigurationDirectory(environment: environment),
            fileExists("\(directory)/cutover/config.yaml")
        {
            return ConfigurationLocation(path: "\(directory)/cutover/config.yaml", origin: .userConfiguration)
        }
        return nil
    }

    /// `$XDG_CONFIG_HOME`, else `$HOME/.config`; nil when neither gives an absolute path.
    static func userConfigurationDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.config"
        }
        return nil
    }

    /// A directory named `cutover.yaml` is not a configuration file; looking further is what the
    /// operator would expect.
    static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// The line a command prints on standard error before it reads the file.
    var announcement: String { "configuration: \(path) (\(origin.phrase))" }
}
