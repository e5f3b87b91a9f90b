extension OutputOptions: ConfigurationFillable {
    /// `log-level`, `unmask`, `quiet` and `json` from the file. A flag the file turns on stays on: the
    /// command line has no spelling that turns it off.
    mutating func fill(from configuration: ConfigurationFile) {
        fillLogLevel(from: configuration)
        unmask = unmask || configuration.flag("unmask")
        if !quiet, configuration.flag("quiet") {
            quiet = true
            // validate() set the display up before the file was read: nothing has been shown yet.
            ProgressDisplay.shared.configure(
                mode: .none, interval: progressInterval ?? ProgressDisplay.defaultInterval)
        }
        if !json, configuration.flag("json") {
            json = true
            JSONInvocation.fromConfigurationFile = true
        }
    }
}
